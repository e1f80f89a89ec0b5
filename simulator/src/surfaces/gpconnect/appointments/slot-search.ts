import type { Slot } from '../../../domain/appointment-slots';
import { SlotCalendar } from '../../../domain/appointment-slots';
import { inBookingWindow } from '../../../domain/booking';
import { SimError } from '../../../domain/errors';
import type { Engine } from '../../../engine';
import { dayNumber } from '../../../population/dates';
import type { SimResponse } from '../../../transport/types';
import { searchsetBundle } from '../bundle';
import { toGpcLocation, toGpcOrganization, toGpcPractitioner } from '../directory-mappers';
import type { GpcContext } from '../gpc-request';
import { gpcResponse } from '../operation-outcome';
import type { Resource } from '../stu3';
import { ODS_ORGANIZATION_CODE, SDS_JOB_ROLE, profile } from '../stu3';

export const ORG_TYPE_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1';
const MAX_RANGE_MS = 14 * 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

export function slotCalendar(engine: Engine): SlotCalendar {
  const { estate } = engine.population;
  return new SlotCalendar(estate.ids, estate.spec.seed, estate.consumers[0]?.ods ?? 'X26');
}

const missing = (field: string, message: string) => new SimError('invalid-request', `${field}: ${message}`, { field });
const invalid = (field: string, message: string) =>
  new SimError('invalid-parameter', `${field}: ${message}`, { field });

/** A `ge`/`le` bound: yyyy-mm-dd (the whole day) or a full UK date-time with offset; anything partial is 422. */
function bound(query: URLSearchParams, name: 'start' | 'end', prefix: 'ge' | 'le'): number {
  const values = query.getAll(name);
  if (values.length === 0) throw missing(name, `the ${name}=${prefix}{date} parameter is mandatory.`);
  if (values.length > 1) throw invalid(name, 'send it exactly once.');
  const value = values[0] as string;
  if (!value.startsWith(prefix)) throw invalid(name, `must carry the ${prefix} prefix.`);
  const text = value.slice(2);
  if (DATE.test(text) && !Number.isNaN(Date.parse(text))) {
    const day = dayNumber(text) * 86_400_000;
    return prefix === 'ge' ? day : day + 86_400_000 - 1;
  }
  if (DATE_TIME.test(text) && !Number.isNaN(Date.parse(text))) return Date.parse(text);
  throw invalid(name, `"${text}" must be yyyy-mm-dd or yyyy-mm-ddThh:mm:ss+hh:mm.`);
}

interface Filters {
  ods?: string;
  orgType?: string;
}

function searchFilters(query: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const value of query.getAll('searchFilter')) {
    const bar = value.indexOf('|');
    const system = value.slice(0, bar);
    const code = value.slice(bar + 1);
    // Unknown searchFilter systems are ignored (GPC appointments_use_case_search_for_free_slots.md).
    if (system === ODS_ORGANIZATION_CODE) filters.ods = code;
    if (system === ORG_TYPE_SYSTEM) filters.orgType = code;
  }
  return filters;
}

function visible(slot: Slot, filters: Filters): boolean {
  const restriction = slot.restriction;
  if (!restriction) return true;
  return 'ods' in restriction ? restriction.ods === filters.ods : restriction.orgType === filters.orgType;
}

export function toGpcSlot(slot: Slot): Resource {
  return {
    resourceType: 'Slot',
    id: slot.id,
    meta: { versionId: '1', profile: [profile('GPConnect-Slot-1')] },
    extension: [{ url: profile('Extension-GPConnect-DeliveryChannel-2'), valueCode: slot.deliveryChannel }],
    serviceType: [{ text: slot.serviceType }],
    schedule: { reference: `Schedule/${slot.scheduleId}` },
    status: 'free',
    start: slot.start,
    end: slot.end,
  };
}

function toGpcSchedule(slot: Slot, locationId: string | undefined): Resource {
  const day = slot.start.slice(0, 10);
  const offset = slot.start.slice(19);
  return {
    resourceType: 'Schedule',
    id: slot.scheduleId,
    meta: { versionId: '1', profile: [profile('GPConnect-Schedule-1')] },
    extension: [
      {
        url: profile('Extension-GPConnect-PractitionerRole-1'),
        valueCodeableConcept: {
          coding: [
            { system: SDS_JOB_ROLE, code: slot.clinician.jobRole.code, display: slot.clinician.jobRole.display },
          ],
        },
      },
    ],
    serviceCategory: { text: slot.serviceType },
    actor: [
      ...(locationId ? [{ reference: `Location/${locationId}` }] : []),
      { reference: `Practitioner/${slot.clinician.id}` },
    ],
    planningHorizon: { start: `${day}T09:00:00${offset}`, end: `${day}T17:00:00${offset}` },
  };
}

/**
 * GET /Slot?status=free&start=ge..&end=le..&_include=Slot:schedule (GPC
 * appointments_use_case_search_for_free_slots.md): free future slots inside the practice's booking
 * window (embargo), wholly inside a range of at
 * most two weeks, open to the consumer's searchFilters, with their Schedules, the Practitioners and
 * Locations when asked for, and the Organization whenever there are slots.
 */
export async function searchSlots(context: GpcContext): Promise<SimResponse> {
  const { engine, practice, request } = context;
  const { query } = request;
  const status = query.getAll('status');
  if (status.length === 0) throw missing('status', 'status=free is mandatory.');
  if (status.length > 1 || status[0] !== 'free') throw invalid('status', 'only status=free is supported.');
  const from = bound(query, 'start', 'ge');
  const to = bound(query, 'end', 'le');
  if (!query.getAll('_include').includes('Slot:schedule')) {
    throw missing('_include', '_include=Slot:schedule is mandatory.');
  }
  if (to < from) throw invalid('end', 'the end is before the start.');
  if (to - from > MAX_RANGE_MS) throw invalid('end', 'the search range must not exceed two weeks.');
  const recurse = query.getAll('_include:recurse');
  const filters = searchFilters(query);
  const nowMs = engine.clock.now();
  const booked = await engine.store.bookings.bookedSlotIds(practice.ods);
  const calendar = slotCalendar(engine);
  const slots: Slot[] = [];
  for (let day = Math.floor(from / 86_400_000) - 1; day <= Math.floor(to / 86_400_000); day++) {
    for (const slot of calendar.slotsOn(practice, day)) {
      if (slot.startMs < from || slot.endMs > to || slot.startMs <= nowMs) continue;
      if (!inBookingWindow(slot, nowMs, context.settings.gpconnect.bookingWindow)) continue;
      if (slot.busy || booked.has(slot.id) || !visible(slot, filters)) continue;
      slots.push(slot);
    }
  }
  const resources = new Map<string, Resource>();
  const add = (resource: Resource) => resources.set(`${resource.resourceType}/${resource.id ?? ''}`, resource);
  const location = practice.locations.find((site) => site.main) ?? practice.locations[0];
  for (const slot of slots) {
    add(toGpcSlot(slot));
    add(toGpcSchedule(slot, location?.id));
    if (recurse.includes('Schedule:actor:Practitioner')) add(toGpcPractitioner(slot.clinician));
    if (recurse.includes('Schedule:actor:Location') && location)
      add(toGpcLocation(engine.population, practice, location));
  }
  if (slots.length > 0) add(toGpcOrganization(engine.population, practice));
  return gpcResponse(request, 200, searchsetBundle(context, [...resources.values()]));
}
