import type { control } from '@gpsim/contracts';
import { SimError } from './errors';
import type { Slot } from './appointment-slots';

export type BookingWindow = control.BookingWindow;

/** No window: slots are offered from when they exist until they start. */
export const OPEN_BOOKING_WINDOW: BookingWindow = { opensDaysBefore: null, closesMinutesBefore: 0 };

/** Whether a slot is released and not yet closed under the practice's booking window/embargo. */
export function inBookingWindow(slot: Slot, nowMs: number, window: BookingWindow): boolean {
  if (slot.startMs - nowMs < window.closesMinutesBefore * 60_000) return false;
  return window.opensDaysBefore === null || slot.startMs - nowMs <= window.opensDaysBefore * 86_400_000;
}

/** An appointment booked through GP Connect Appointment Management (reference/domain.md §1.8). */
export interface Booking {
  id: string;
  ods: string;
  /** The first (or only) slot. */
  slotId: string;
  /** Further adjacent slots of the same schedule taken by the same appointment, in order. */
  additionalSlotIds?: string[];
  patientOrdinal: number;
  status: 'booked' | 'cancelled';
  version: number;
  start: string;
  end: string;
  description?: string;
  comment?: string;
  cancellationReason?: string;
  bookingOrganization: { ods: string; name: string };
  created: string;
}

export const MAX_DESCRIPTION = 100;
export const MAX_COMMENT = 500;

/** The spec's text limits (GPC appointments_use_case_book_an_appointment.md). */
export function assertTextLimits(description: string | undefined, comment: string | undefined): void {
  if (description !== undefined && description.length > MAX_DESCRIPTION) {
    throw new SimError('invalid-resource', `Appointment.description is over ${MAX_DESCRIPTION} characters.`, {
      field: 'description',
    });
  }
  if (comment !== undefined && comment.length > MAX_COMMENT) {
    throw new SimError('invalid-resource', `Appointment.comment is over ${MAX_COMMENT} characters.`, {
      field: 'comment',
    });
  }
}

/**
 * A slot can be booked when it is free in the diary, still in the future, inside the practice's
 * booking window, and open to the booking organisation.
 */
export function assertBookable(
  slot: Slot,
  nowMs: number,
  window: BookingWindow,
  bookingOds: string,
  bookingOrgType: string | undefined,
): void {
  if (slot.startMs <= nowMs) {
    throw new SimError('invalid-resource', `Slot ${slot.id} has already started; book a future slot.`, {
      field: 'slot',
    });
  }
  if (!inBookingWindow(slot, nowMs, window)) {
    throw new SimError(
      'invalid-resource',
      `Slot ${slot.id} is outside the practice's booking window (embargoed or closed); search for free slots again.`,
      { field: 'slot' },
    );
  }
  if (slot.busy) throw new SimError('duplicate', `Slot ${slot.id} is no longer free; search for free slots again.`);
  const restriction = slot.restriction;
  if (restriction && 'ods' in restriction && restriction.ods !== bookingOds) {
    throw new SimError(
      'duplicate',
      `Slot ${slot.id} is reserved for another organisation; search for free slots again.`,
    );
  }
  if (restriction && 'orgType' in restriction && restriction.orgType !== bookingOrgType) {
    throw new SimError('duplicate', `Slot ${slot.id} is reserved for another type of organisation.`);
  }
}

/** Every slot a booking holds, first to last. */
export function bookingSlotIds(booking: Booking): string[] {
  return [booking.slotId, ...(booking.additionalSlotIds ?? [])];
}

/**
 * Slots booked together must follow one another in one Schedule, with the same delivery channel
 * and service type (GPC appointments_use_case_book_an_appointment.md, "Booking multiple adjacent slots").
 */
export function assertAdjacent(slots: readonly Slot[]): void {
  for (let index = 1; index < slots.length; index++) {
    const before = slots[index - 1] as Slot;
    const slot = slots[index] as Slot;
    if (
      slot.scheduleId !== before.scheduleId ||
      slot.startMs !== before.endMs ||
      slot.deliveryChannel !== before.deliveryChannel ||
      slot.serviceType !== before.serviceType
    ) {
      throw new SimError(
        'invalid-resource',
        `Slots ${before.id} and ${slot.id} cannot be booked together: adjacent slots must follow one another in the same Schedule with the same delivery channel and service type.`,
        { field: 'slot' },
      );
    }
  }
}

/** Only appointments still in the future may be amended or cancelled. */
export function assertChangeable(booking: Booking, nowMs: number): void {
  if (Date.parse(booking.start) <= nowMs) {
    throw new SimError(
      'invalid-resource',
      `Appointment ${booking.id} is in the past; only future appointments can change.`,
    );
  }
  if (booking.status === 'cancelled') {
    throw new SimError('invalid-resource', `Appointment ${booking.id} is already cancelled.`);
  }
}
