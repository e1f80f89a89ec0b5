import type { Practice, StaffUser } from './estate';
import { dateOfDay, dayNumber } from '../population/dates';
import { hashString, mixKeys } from '../population/random';
import type { IdCodec } from '../population/ids';

/**
 * Appointment slots, computed like the rest of the estate (reference/domain.md §1.8, §1.11): every
 * weekday each GP holds a morning and an afternoon session of 10-minute slots and each nurse of
 * 15-minute slots; a seeded share is already booked, channels vary, and a few slots are bookable
 * only by one organisation or organisation type, as the demonstrator's slot configuration does.
 */
export type DeliveryChannel = 'In-person' | 'Telephone' | 'Video';

export interface Slot {
  id: string;
  scheduleId: string;
  practice: Practice;
  clinician: StaffUser;
  /** UK local date-times with offset, e.g. 2026-11-23T09:00:00+00:00. */
  start: string;
  end: string;
  /** UTC instants (ms) for comparisons. */
  startMs: number;
  endMs: number;
  serviceType: string;
  session: string;
  deliveryChannel: DeliveryChannel;
  /** Already booked in the computed diary (not through GP Connect). */
  busy: boolean;
  restriction?: { ods: string } | { orgType: string };
}

/** Day numbers are encoded relative to this day, so slot ids fit the id codec's range. */
const BASE_DAY = dayNumber('2020-01-01');
const SLOTS_PER_SCHEDULE = 64;
const SCHEDULES_PER_DAY = 64;
const sessions = [
  { name: 'Morning surgery', startMinute: 9 * 60, endMinute: 12 * 60 },
  { name: 'Afternoon surgery', startMinute: 14 * 60, endMinute: 17 * 60 },
];

/** UK clock offset in hours on a date: BST (+1) from the last Sunday of March to the last Sunday of October. */
export function ukOffsetHours(day: number): number {
  const year = Number(dateOfDay(day).slice(0, 4));
  const lastSunday = (month: number) => {
    const last = dayNumber(`${year}-${month}-31`);
    return last - ((new Date(last * 86_400_000).getUTCDay() + 7) % 7);
  };
  return day >= lastSunday(3) && day < lastSunday(10) ? 1 : 0;
}

function localDateTime(day: number, minute: number): { text: string; ms: number } {
  const offset = ukOffsetHours(day);
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return {
    text: `${dateOfDay(day)}T${hh}:${mm}:00+0${offset}:00`,
    ms: (day * 1440 + minute - offset * 60) * 60_000,
  };
}

function bookable(member: StaffUser): boolean {
  return member.role === 'gp' || member.role === 'nurse';
}

export class SlotCalendar {
  private readonly seedKey: number;

  constructor(
    private readonly ids: IdCodec,
    seed: string,
    private readonly restrictedOds: string,
  ) {
    this.seedKey = hashString(`gpsim-slots:${seed}`);
  }

  /** Every slot of a practice on a day (none at weekends or outside the encodable range). */
  slotsOn(practice: Practice, day: number): Slot[] {
    const weekday = new Date(day * 86_400_000).getUTCDay();
    const offsetDay = day - BASE_DAY;
    if (
      weekday === 0 ||
      weekday === 6 ||
      offsetDay < 0 ||
      offsetDay * SCHEDULES_PER_DAY * SLOTS_PER_SCHEDULE >= 2 ** 26
    ) {
      return [];
    }
    const slots: Slot[] = [];
    for (const clinician of practice.staff) {
      if (!bookable(clinician) || clinician.index >= SCHEDULES_PER_DAY) continue;
      const length = clinician.role === 'gp' ? 10 : 15;
      const scheduleN = offsetDay * SCHEDULES_PER_DAY + clinician.index;
      const scheduleId = this.ids.encode('schedule', practice.index, scheduleN);
      let n = 0;
      for (const session of sessions) {
        for (let minute = session.startMinute; minute + length <= session.endMinute; minute += length, n++) {
          const key = mixKeys(this.seedKey, practice.index, scheduleN, n);
          const start = localDateTime(day, minute);
          const end = localDateTime(day, minute + length);
          const pick = key % 100;
          const restriction =
            pick === 7 ? { orgType: 'urgent-care' } : pick === 8 ? { ods: this.restrictedOds } : undefined;
          slots.push({
            id: this.ids.encode('slot', practice.index, scheduleN * SLOTS_PER_SCHEDULE + n),
            scheduleId,
            practice,
            clinician,
            start: start.text,
            end: end.text,
            startMs: start.ms,
            endMs: end.ms,
            serviceType: clinician.role === 'gp' ? 'General GP Appointment' : 'Practice Nurse Appointment',
            session: `${session.name} (${clinician.given} ${clinician.family})`,
            deliveryChannel: (key >>> 8) % 10 < 7 ? 'In-person' : (key >>> 8) % 10 < 9 ? 'Telephone' : 'Video',
            busy: (key >>> 16) % 100 < 35,
            ...(restriction ? { restriction } : {}),
          });
        }
      }
    }
    return slots;
  }

  /** The slot a slot id names, or undefined. */
  slot(practices: readonly Practice[], id: string): Slot | undefined {
    const decoded = this.ids.decode(id);
    if (decoded?.kind !== 'slot') return undefined;
    const practice = practices[decoded.owner];
    if (!practice) return undefined;
    const scheduleN = Math.floor(decoded.n / SLOTS_PER_SCHEDULE);
    const day = Math.floor(scheduleN / SCHEDULES_PER_DAY) + BASE_DAY;
    return this.slotsOn(practice, day).find((slot) => slot.id === id);
  }
}
