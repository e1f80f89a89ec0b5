import type { Appointment, Consultation } from '../../domain/clinical-record';
import { dateTimeOfDay, dayNumber } from '../dates';
import type { RecordContext } from './record-context';

/** Slot lengths practices book in: ten minutes with a GP, fifteen with a nurse. */
const SLOT_MINUTES: Record<string, number> = { gp: 10, nurse: 15, hca: 10, pharmacist: 20 };
/** Share of booked appointments that are missed (did not attend). */
const DID_NOT_ATTEND = 0.04;

/**
 * Past appointments: every consultation in a surgery, by telephone or video was booked into a slot
 * (home visits are not), and a few appointments were missed. Future bookings are changes and live
 * in the store, not here.
 */
export function addAppointments(context: RecordContext): void {
  const { record, rng } = context;
  const attended = record.consultations.filter((consultation) => consultation.type !== 'home-visit');
  for (const consultation of attended) record.appointments.push(fromConsultation(context, consultation));
  const missed = Math.floor(attended.length * DID_NOT_ATTEND + rng.fraction());
  for (let i = 0; i < missed; i++) {
    const day = context.weekday(context.windowStartDay, context.endDay);
    record.appointments.push(
      appointment(context, day, 8 * 60 + rng.int(60) * 10, context.clinician('gp'), 'noshow', 'In-person'),
    );
  }
}

function fromConsultation(context: RecordContext, consultation: Consultation): Appointment {
  const day = dayNumber(consultation.date.slice(0, 10));
  const minute = Number(consultation.date.slice(11, 13)) * 60 + Number(consultation.date.slice(14, 16));
  const channel =
    consultation.type === 'telephone' ? 'Telephone' : consultation.type === 'video' ? 'Video' : 'In-person';
  const booked = appointment(context, day, minute - (minute % 5), consultation.recorderIndex, 'fulfilled', channel);
  booked.consultationId = consultation.id;
  booked.locationIndex = consultation.locationIndex;
  return booked;
}

function appointment(
  context: RecordContext,
  day: number,
  minute: number,
  practitionerIndex: number,
  status: Appointment['status'],
  deliveryChannel: Appointment['deliveryChannel'],
): Appointment {
  const role = context.practice.staff[practitionerIndex]?.role ?? 'gp';
  const length = SLOT_MINUTES[role] ?? 10;
  const bookedDay = day - context.rng.int(15);
  return {
    kind: 'appointment',
    id: context.id('appointment'),
    date: dateTimeOfDay(day, minute),
    end: dateTimeOfDay(day, minute + length),
    recorded: dateTimeOfDay(bookedDay, 8 * 60 + context.rng.int(540)),
    recorderIndex: context.clinician('receptionist'),
    status,
    practitionerIndex,
    locationIndex: 0,
    deliveryChannel,
    serviceType:
      role === 'gp'
        ? 'General GP Appointment'
        : role === 'nurse'
          ? 'Practice Nurse Appointment'
          : role === 'pharmacist'
            ? 'Clinical Pharmacist Appointment'
            : 'Healthcare Assistant Appointment',
  };
}
