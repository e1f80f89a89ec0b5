import { randomUUID } from 'node:crypto';
import type { Slot } from '../../../domain/appointment-slots';
import type { Booking } from '../../../domain/booking';
import {
  assertAdjacent,
  assertBookable,
  assertChangeable,
  assertTextLimits,
  bookingSlotIds,
} from '../../../domain/booking';
import type { Appointment as PastAppointment } from '../../../domain/clinical-record';
import { SimError } from '../../../domain/errors';
import { isFoundOnGpConnect } from '../../../domain/gp-connect-access';
import type { Patient } from '../../../domain/patient';
import type { SimResponse } from '../../../transport/types';
import { auditGpcAccess } from '../audit-access';
import { searchsetBundle } from '../bundle';
import type { GpcContext } from '../gpc-request';
import { gpcResponse } from '../operation-outcome';
import type { Resource } from '../stu3';
import { ODS_ORGANIZATION_CODE, profile } from '../stu3';
import { ORG_TYPE_SYSTEM, slotCalendar } from './slot-search';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const invalid = (message: string, field?: string) =>
  new SimError('invalid-resource', message, field === undefined ? {} : { field });
const BOOKING_ORG = profile('Extension-GPConnect-BookingOrganisation-1');
const CANCELLATION_REASON = profile('Extension-GPConnect-AppointmentCancellationReason-1');

function parseAppointment(body: Buffer): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('The request body is not JSON: send a GPConnect-Appointment-1 Appointment.');
  }
  if (!isObject(parsed) || parsed['resourceType'] !== 'Appointment') {
    throw invalid('The request body must be an Appointment resource.');
  }
  return parsed;
}

function text(appointment: Json, element: 'description' | 'comment'): string | undefined {
  const value = appointment[element];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`Appointment.${element} must be a string.`, element);
  return value;
}

function cancellationReason(appointment: Json): string | undefined {
  const extensions = Array.isArray(appointment['extension']) ? (appointment['extension'] as unknown[]) : [];
  const found = extensions.find((extension) => isObject(extension) && extension['url'] === CANCELLATION_REASON);
  return isObject(found) && typeof found['valueString'] === 'string' ? found['valueString'] : undefined;
}

/** A patient GP Connect may book for at this practice (registered or temporarily registered here). */
async function bookablePatient(context: GpcContext, reference: unknown): Promise<Patient> {
  const id = typeof reference === 'string' && reference.startsWith('Patient/') ? reference.slice(8) : '';
  const patient = context.engine.population.patientById(id);
  if (patient && patient.practiceIndex === context.practice.index && isFoundOnGpConnect(patient)) return patient;
  if (patient && (await context.engine.store.registrations.get(context.practice.ods, patient.nhsNumber)))
    return patient;
  throw new SimError(
    'patient-not-found',
    `No patient "${id}" can be booked at ${context.practice.ods}; find or register them first.`,
  );
}

export function toGpcAppointment(context: GpcContext, booking: Booking, patientId: string): Resource {
  return {
    resourceType: 'Appointment',
    id: booking.id,
    meta: { versionId: String(booking.version), profile: [profile('GPConnect-Appointment-1')] },
    contained: [
      {
        resourceType: 'Organization',
        id: '1',
        meta: { profile: [profile('CareConnect-GPC-Organization-1')] },
        identifier: [{ system: ODS_ORGANIZATION_CODE, value: booking.bookingOrganization.ods }],
        name: booking.bookingOrganization.name,
      },
    ],
    extension: [
      { url: BOOKING_ORG, valueReference: { reference: '#1' } },
      ...(booking.cancellationReason ? [{ url: CANCELLATION_REASON, valueString: booking.cancellationReason }] : []),
    ],
    status: booking.status,
    start: booking.start,
    end: booking.end,
    slot: bookingSlotIds(booking).map((slotId) => ({ reference: `Slot/${slotId}` })),
    created: booking.created,
    ...(booking.description === undefined ? {} : { description: booking.description }),
    ...(booking.comment === undefined ? {} : { comment: booking.comment }),
    participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'accepted' }],
  };
}

function reply(context: GpcContext, status: number, booking: Booking, patientId: string): SimResponse {
  const base = `${context.engine.baseUrl}/${context.practice.ods}/STU3/1/gpconnect`;
  return gpcResponse(context.request, status, toGpcAppointment(context, booking, patientId), {
    ETag: `W/"${booking.version}"`,
    ...(status === 201 ? { Location: `${base}/Appointment/${booking.id}/_history/${booking.version}` } : {}),
  });
}

/** The slots an Appointment references, at this practice, in time order and adjacent. */
function bookedSlots(context: GpcContext, appointment: Record<string, unknown>): Slot[] {
  const { engine, practice } = context;
  const references = Array.isArray(appointment['slot']) ? (appointment['slot'] as unknown[]) : [];
  if (references.length === 0 || references.length > MAX_SLOTS_PER_APPOINTMENT) {
    throw invalid(
      `Reference between 1 and ${MAX_SLOTS_PER_APPOINTMENT} adjacent Slots (slot[n].reference = "Slot/{id}").`,
      'slot',
    );
  }
  const calendar = slotCalendar(engine);
  const slots = references.map((entry) => {
    const reference = isObject(entry) ? entry['reference'] : undefined;
    if (typeof reference !== 'string' || !reference.startsWith('Slot/'))
      throw invalid('Every slot needs reference = "Slot/{id}".', 'slot');
    const slot = calendar.slot(engine.population.practices, reference.slice(5));
    if (!slot || slot.practice.index !== practice.index) {
      throw new SimError('invalid-resource', `${reference} does not exist at ${practice.ods}.`, {
        field: 'slot',
        detail: { spineCode: 'REFERENCE_NOT_FOUND' },
      });
    }
    return slot;
  });
  if (new Set(slots.map((slot) => slot.id)).size !== slots.length) throw invalid('A slot is referenced twice.', 'slot');
  slots.sort((a, b) => a.startMs - b.startMs);
  assertAdjacent(slots);
  return slots;
}

/** A bound on adjacent slots in one booking, so a request cannot hold a whole session. */
const MAX_SLOTS_PER_APPOINTMENT = 6;

/**
 * POST /Appointment (GPC appointments_use_case_book_an_appointment.md): one free future slot, or
 * several adjacent ones of one Schedule taken together or not at all, the
 * patient, the booking organisation (contained, by ODS code), description ≤ 100 and comment ≤ 500
 * characters; 201 with Location and ETag. A slot taken meanwhile is 409 DUPLICATE_REJECTED.
 */
export async function bookAppointment(context: GpcContext): Promise<SimResponse> {
  const { engine, practice, request } = context;
  const appointment = parseAppointment(request.body);
  if (appointment['status'] !== 'booked') throw invalid('A new appointment must have status "booked".', 'status');
  const slots = bookedSlots(context, appointment);
  const first = slots[0] as Slot;
  const last = slots[slots.length - 1] as Slot;
  if (appointment['start'] !== undefined && Date.parse(String(appointment['start'])) !== first.startMs) {
    throw invalid(`Appointment.start must equal the first slot's start ${first.start}.`, 'start');
  }
  if (appointment['end'] !== undefined && Date.parse(String(appointment['end'])) !== last.endMs) {
    throw invalid(`Appointment.end must equal the last slot's end ${last.end}.`, 'end');
  }
  const description = text(appointment, 'description');
  const comment = text(appointment, 'comment');
  assertTextLimits(description, comment);
  const participants = Array.isArray(appointment['participant']) ? (appointment['participant'] as unknown[]) : [];
  const patientReference = participants
    .map((participant) =>
      isObject(participant) && isObject(participant['actor']) ? participant['actor']['reference'] : undefined,
    )
    .find((reference) => typeof reference === 'string' && reference.startsWith('Patient/'));
  if (patientReference === undefined)
    throw invalid('Name the patient as a participant (actor Patient/{id}).', 'participant');
  const contained = Array.isArray(appointment['contained']) ? (appointment['contained'] as unknown[]) : [];
  const organization = contained.find((resource) => isObject(resource) && resource['resourceType'] === 'Organization');
  const identifiers =
    isObject(organization) && Array.isArray(organization['identifier'])
      ? (organization['identifier'] as unknown[])
      : [];
  const ods = identifiers.find((identifier) => isObject(identifier) && identifier['system'] === ODS_ORGANIZATION_CODE);
  if (
    !isObject(organization) ||
    !isObject(ods) ||
    typeof ods['value'] !== 'string' ||
    typeof organization['name'] !== 'string'
  ) {
    throw invalid('Contain the booking Organization with a name and its ODS code.', 'contained');
  }
  const types = Array.isArray(organization['type']) ? (organization['type'] as unknown[]) : [];
  const orgType = types
    .flatMap((type) => (isObject(type) && Array.isArray(type['coding']) ? (type['coding'] as unknown[]) : []))
    .find((coding) => isObject(coding) && coding['system'] === ORG_TYPE_SYSTEM);
  const patient = await bookablePatient(context, patientReference);
  for (const slot of slots) {
    assertBookable(
      slot,
      engine.clock.now(),
      context.settings.gpconnect.bookingWindow,
      ods['value'],
      isObject(orgType) ? String(orgType['code']) : undefined,
    );
  }
  const booking: Booking = {
    id: randomUUID(),
    ods: practice.ods,
    slotId: first.id,
    ...(slots.length > 1 ? { additionalSlotIds: slots.slice(1).map((slot) => slot.id) } : {}),
    patientOrdinal: patient.ordinal,
    status: 'booked',
    version: 1,
    start: first.start,
    end: last.end,
    ...(description === undefined ? {} : { description }),
    ...(comment === undefined ? {} : { comment }),
    bookingOrganization: { ods: ods['value'], name: organization['name'] },
    created: engine.clock.nowDate().toISOString(),
  };
  if (!(await engine.store.bookings.create(booking))) {
    throw new SimError(
      'duplicate',
      `${slots.map((slot) => `Slot ${slot.id}`).join(', ')}: booked by someone else meanwhile; search for free slots again.`,
    );
  }
  await auditGpcAccess(context, patient);
  return reply(context, 201, booking, patient.id);
}

async function storedBooking(context: GpcContext): Promise<{ booking: Booking; patient: Patient }> {
  const id = context.request.params['id'] ?? '';
  const booking = await context.engine.store.bookings.get(id);
  const patient = booking ? context.engine.population.patient(booking.patientOrdinal) : undefined;
  if (!booking || booking.ods !== context.practice.ods || !patient) {
    throw new SimError('not-found', `No appointment with id "${id}" at ${context.practice.ods}.`);
  }
  return { booking, patient };
}

export async function readAppointment(context: GpcContext): Promise<SimResponse> {
  const { booking, patient } = await storedBooking(context);
  await auditGpcAccess(context, patient);
  return reply(context, 200, booking, patient.id);
}

/**
 * PUT /Appointment/{id}, amend or cancel as the interaction id says (GPC amend/cancel use cases):
 * If-Match must name the current version (else 409); only future appointments change; an amend may
 * change only description and comment, a cancel only the status (and its reason).
 */
export async function updateAppointment(context: GpcContext): Promise<SimResponse> {
  const { engine, request } = context;
  const { booking, patient } = await storedBooking(context);
  const ifMatch = request.headers['if-match'];
  if (ifMatch !== undefined && ifMatch !== `W/"${booking.version}"`) {
    throw new SimError(
      'conflict',
      `If-Match ${ifMatch} is stale: the appointment is at version W/"${booking.version}"; read it again.`,
    );
  }
  assertChangeable(booking, engine.clock.now());
  const appointment = parseAppointment(request.body);
  if (appointment['id'] !== undefined && appointment['id'] !== booking.id) {
    throw invalid('Appointment.id must match the id in the URL.', 'id');
  }
  const description = text(appointment, 'description');
  const comment = text(appointment, 'comment');
  assertTextLimits(description, comment);
  const sameTimes =
    (appointment['start'] === undefined || Date.parse(String(appointment['start'])) === Date.parse(booking.start)) &&
    (appointment['end'] === undefined || Date.parse(String(appointment['end'])) === Date.parse(booking.end));
  const slots = Array.isArray(appointment['slot']) ? (appointment['slot'] as unknown[]) : [];
  const held = new Set(bookingSlotIds(booking).map((slotId) => `Slot/${slotId}`));
  const sameSlot = slots.every((slot) => isObject(slot) && held.has(String(slot['reference'])));
  if (!sameTimes || !sameSlot)
    throw invalid('Only description and comment may change; book a new slot to move an appointment.');
  const cancelling = context.interaction === 'cancelAppointment';
  let next: Booking;
  if (cancelling) {
    if (appointment['status'] !== 'cancelled') throw invalid('A cancellation must set status "cancelled".', 'status');
    if (description !== booking.description || comment !== booking.comment) {
      throw invalid('A cancellation may change only the status and its reason.');
    }
    const reason = cancellationReason(appointment);
    next = {
      ...booking,
      status: 'cancelled',
      version: booking.version + 1,
      ...(reason === undefined ? {} : { cancellationReason: reason }),
    };
  } else {
    if (appointment['status'] !== 'booked')
      throw invalid('An amendment keeps status "booked"; use the cancel interaction to cancel.', 'status');
    next = { ...booking, version: booking.version + 1 };
    delete next.description;
    delete next.comment;
    if (description !== undefined) next.description = description;
    if (comment !== undefined) next.comment = comment;
  }
  if (!(await engine.store.bookings.replace(next, booking.version))) {
    throw new SimError('conflict', 'The appointment changed meanwhile; read it again and retry.');
  }
  await auditGpcAccess(context, patient);
  return reply(context, 200, next, patient.id);
}

function pastAppointment(context: GpcContext, entry: PastAppointment, patientId: string): Resource {
  const clinician = context.practice.staff[entry.practitionerIndex];
  const location = context.practice.locations[entry.locationIndex];
  return {
    resourceType: 'Appointment',
    id: entry.id,
    meta: { versionId: '1', profile: [profile('GPConnect-Appointment-1')] },
    status: entry.status,
    start: entry.date,
    end: entry.end,
    serviceType: [{ text: entry.serviceType }],
    participant: [
      { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
      ...(clinician ? [{ actor: { reference: `Practitioner/${clinician.id}` }, status: 'accepted' }] : []),
      ...(location ? [{ actor: { reference: `Location/${location.id}` }, status: 'accepted' }] : []),
    ],
  };
}

/** GET /Patient/{id}/Appointment?start=ge..&start=le..: booked ones and the record's past appointments. */
export async function patientAppointments(context: GpcContext): Promise<SimResponse> {
  const { engine, practice, request } = context;
  const bounds = request.query.getAll('start');
  const ge = bounds.find((value) => value.startsWith('ge'));
  const le = bounds.find((value) => value.startsWith('le'));
  if (ge === undefined || le === undefined || bounds.length !== 2) {
    throw new SimError('invalid-request', 'start: send start=ge{date}&start=le{date}.', { field: 'start' });
  }
  const from = ge.slice(2);
  const to = le.slice(2);
  if (!/^\d{4}-\d{2}-\d{2}/.test(from) || !/^\d{4}-\d{2}-\d{2}/.test(to) || to.slice(0, 10) < from.slice(0, 10)) {
    throw new SimError('invalid-parameter', 'start: dates must be yyyy-mm-dd, le on or after ge.', { field: 'start' });
  }
  const patient = await bookablePatient(context, `Patient/${request.params['id'] ?? ''}`);
  const inRange = (date: string) => date.slice(0, 10) >= from.slice(0, 10) && date.slice(0, 10) <= to.slice(0, 10);
  const booked = (await engine.store.bookings.forPatient(patient.ordinal, practice.ods))
    .filter((booking) => inRange(booking.start))
    .map((booking) => toGpcAppointment(context, booking, patient.id));
  const past =
    patient.practiceIndex === practice.index
      ? (await engine.records.record(patient)).appointments
          .filter((entry) => inRange(entry.date))
          .map((entry) => pastAppointment(context, entry, patient.id))
      : [];
  await auditGpcAccess(context, patient);
  return gpcResponse(request, 200, searchsetBundle(context, [...past, ...booked]));
}
