import { randomUUID } from 'node:crypto';
import type { Slot } from '../../domain/appointment-slots';
import type { Booking } from '../../domain/booking';
import { OPEN_BOOKING_WINDOW, assertBookable, assertTextLimits } from '../../domain/booking';
import type { Practice } from '../../domain/estate';
import { SimError } from '../../domain/errors';
import type { Patient } from '../../domain/patient';
import type { Engine } from '../../engine';
import { dayNumber } from '../../population/dates';
import { slotCalendar } from '../gpconnect/appointments/slot-search';

/**
 * The practice diary as the partner APIs see it: the same computed slots and the same bookings
 * repository as GP Connect Appointment Management, so a slot booked through any face is taken on all.
 */
export const MAX_PARTNER_RANGE_DAYS = 14;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whole days from..to inclusive (yyyy-mm-dd), at most two weeks, as GP Connect's slot search allows. */
export function dayRange(from: string | undefined, to: string | undefined): { first: number; last: number } {
  for (const [field, value] of [
    ['DateFrom', from],
    ['DateTo', to],
  ] as const) {
    if (value === undefined || !DATE.test(value) || Number.isNaN(Date.parse(value))) {
      throw new SimError('invalid-parameter', `Send ${field} as YYYY-MM-DD.`, { field });
    }
  }
  const first = dayNumber(from as string);
  const last = dayNumber(to as string);
  if (last < first) throw new SimError('invalid-parameter', 'DateTo is before DateFrom.', { field: 'DateTo' });
  if (last - first >= MAX_PARTNER_RANGE_DAYS) {
    throw new SimError('invalid-parameter', `Ask for at most ${MAX_PARTNER_RANGE_DAYS} days at a time.`, {
      field: 'DateTo',
    });
  }
  return { first, last };
}

/** Free future slots of the practice's own diary (slots reserved for other organisations are not offered). */
export async function freePracticeSlots(
  engine: Engine,
  practice: Practice,
  range: { first: number; last: number },
): Promise<Slot[]> {
  const booked = await engine.store.bookings.bookedSlotIds(practice.ods);
  const calendar = slotCalendar(engine);
  const nowMs = engine.clock.now();
  const slots: Slot[] = [];
  for (let day = range.first; day <= range.last; day++) {
    for (const slot of calendar.slotsOn(practice, day)) {
      if (slot.startMs > nowMs && !slot.busy && !slot.restriction && !booked.has(slot.id)) slots.push(slot);
    }
  }
  return slots;
}

/**
 * Books a slot of the practice for a patient on the practice's own behalf. A slot already taken
 * (in the computed diary or by any face) is a `duplicate` SimError carrying the face's own code.
 */
export async function bookPracticeSlot(
  engine: Engine,
  practice: Practice,
  slotId: string,
  patient: Patient,
  description: string | undefined,
  alreadyBooked: Record<string, string>,
): Promise<Booking> {
  const slot = slotCalendar(engine).slot(engine.population.practices, slotId);
  if (!slot || slot.practice.index !== practice.index) {
    throw new SimError('not-found', `No slot ${slotId} at ${practice.ods}; list free slots first.`, {
      field: 'SlotId',
    });
  }
  assertTextLimits(description, undefined);
  const taken = () =>
    new SimError('duplicate', `Slot ${slot.id} is already booked; list free slots again and pick another.`, {
      detail: alreadyBooked,
    });
  try {
    // The booking window governs GP Connect's external bookers, not the practice's own partner products.
    assertBookable(slot, engine.clock.now(), OPEN_BOOKING_WINDOW, practice.ods, undefined);
  } catch (error) {
    if (error instanceof SimError && error.code === 'duplicate') throw taken();
    throw error;
  }
  const booking: Booking = {
    id: randomUUID(),
    ods: practice.ods,
    slotId: slot.id,
    patientOrdinal: patient.ordinal,
    status: 'booked',
    version: 1,
    start: slot.start,
    end: slot.end,
    ...(description === undefined ? {} : { description }),
    bookingOrganization: { ods: practice.ods, name: practice.name },
    created: engine.clock.nowDate().toISOString(),
  };
  if (!(await engine.store.bookings.create(booking))) throw taken();
  return booking;
}
