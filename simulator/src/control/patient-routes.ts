import { control } from '@gpsim/contracts';
import { ARCHETYPE_COUNT, archetypeDescriptions } from '../domain/archetypes';
import { SimError } from '../domain/errors';
import type { Practice } from '../domain/estate';
import { normaliseNhsNumber } from '../domain/nhs-number';
import type { Patient } from '../domain/patient';
import type { Engine } from '../engine';
import { dayNumber } from '../population/dates';
import { demographicIndex } from '../population/demographic-index';
import { jsonResponse, parseJsonBody } from '../transport/json';
import type { Route } from '../transport/types';
import { positiveInteger } from './query-params';

/** A name search reads patients one by one; past this many it stops and says so. */
const MAX_SCANNED = 250_000;
const MAX_QUERY_CHARS = 100;

export interface PatientSummary {
  nhsNumber: string;
  name: string;
  birthDate: string;
  sex: Patient['sex'];
  ods: string;
  practiceName: string;
  system: Practice['system'];
  archetype?: string;
  archetypeDescription?: string;
  sensitive: boolean;
  deceasedDate?: string;
}

/**
 * GET /__sim/patients?q and GET /__sim/patients/{nhsNumber}: the estate as a practice's staff see
 * it (sensitive patients included), for people finding a patient in the console. Partner-facing
 * searches keep their own rules in the surfaces. PUT /__sim/patients/{nhsNumber}/pds-registration
 * registers the patient at another practice on PDS (what a migrating practice does first).
 */
export function patientRoutes(engine: Engine): Route[] {
  const summary = (patient: Patient): PatientSummary => {
    const practice = engine.population.practiceOf(patient);
    return {
      nhsNumber: patient.nhsNumber,
      name: [patient.name.prefix, ...patient.name.given, patient.name.family].filter(Boolean).join(' '),
      birthDate: patient.birthDate,
      sex: patient.sex,
      ods: practice.ods,
      practiceName: practice.name,
      system: practice.system,
      ...(patient.archetype
        ? { archetype: patient.archetype, archetypeDescription: archetypeDescriptions[patient.archetype] }
        : {}),
      sensitive: patient.sensitive,
      ...(patient.deceasedDate ? { deceasedDate: patient.deceasedDate } : {}),
    };
  };
  const found = (text: string) => {
    const nhsNumber = normaliseNhsNumber(text);
    const patient = nhsNumber === undefined ? undefined : engine.population.byNhsNumber(nhsNumber)?.patient;
    if (!patient)
      throw new SimError('patient-not-found', `No patient with NHS number ${text}.`, { field: 'nhsNumber' });
    return patient;
  };
  return [
    {
      method: 'GET',
      path: '/__sim/patients',
      handler: (request) => {
        const q = (request.query.get('q') ?? '').trim();
        if (q.length > MAX_QUERY_CHARS) {
          throw new SimError('invalid-parameter', `q is at most ${MAX_QUERY_CHARS} characters.`, { field: 'q' });
        }
        const ods = request.query.get('ods');
        const practices = ods === null || ods === '' ? engine.population.practices : [practiceOrThrow(engine, ods)];
        const limitText = request.query.get('limit');
        const limit = limitText === null ? 50 : positiveInteger(limitText, 'limit', 200);
        const { patients, complete } = search(engine, q, practices, limit);
        return jsonResponse(200, { patients: patients.map(summary), complete });
      },
    },
    {
      method: 'GET',
      path: '/__sim/patients/:nhsNumber',
      handler: async (request) => {
        const patient = found(request.params.nhsNumber ?? '');
        const practice = engine.population.practiceOf(patient);
        const usualGp = practice.staff[patient.usualGpIndex];
        request.annotations.ods = practice.ods;
        return jsonResponse(200, {
          ...summary(patient),
          address: patient.address,
          telecom: patient.telecom,
          registration: patient.registration,
          usualGp: usualGp ? `${usualGp.prefix} ${usualGp.given} ${usualGp.family}` : undefined,
          dissent: patient.dissent,
          onPds: patient.onPds,
          ...(patient.inTransitSince ? { inTransitSince: patient.inTransitSince } : {}),
          pdsRegisteredOds: await engine.pdsRegistrations.registeredOds(patient.nhsNumber, practice.ods),
          record: await engine.records.record(patient),
        });
      },
    },
    {
      method: 'PUT',
      path: '/__sim/patients/:nhsNumber/pds-registration',
      handler: async (request) => {
        const patient = found(request.params.nhsNumber ?? '');
        const holdingOds = engine.population.practiceOf(patient).ods;
        const { ods } = parseJsonBody(request, control.PdsRegistrationChange);
        request.annotations.ods = holdingOds;
        const moved = await engine.pdsRegistrations.move(patient.nhsNumber, ods.toUpperCase(), holdingOds);
        return jsonResponse(200, moved satisfies control.PdsRegistration);
      },
    },
  ];
}

function practiceOrThrow(engine: Engine, ods: string): Practice {
  const practice = engine.population.practice(ods);
  if (!practice) {
    throw new SimError('practice-not-found', `No practice ${ods}; GET /__sim/practices lists them.`, { field: 'ods' });
  }
  return practice;
}

/**
 * An NHS number (spaces allowed), a date of birth (YYYY-MM-DD or DD/MM/YYYY), or words of a name;
 * with nothing to search for, the named archetype patients.
 */
function search(
  engine: Engine,
  q: string,
  practices: readonly Practice[],
  limit: number,
): { patients: Patient[]; complete: boolean } {
  const { population } = engine;
  const inScope = (patient: Patient | undefined): patient is Patient =>
    patient !== undefined && practices.some((practice) => practice.index === patient.practiceIndex);
  if (/^[\d\s-]{10,14}$/.test(q)) {
    const nhsNumber = normaliseNhsNumber(q.replace(/[\s-]/g, ''));
    const patient = nhsNumber === undefined ? undefined : population.byNhsNumber(nhsNumber)?.patient;
    return { patients: inScope(patient) ? [patient] : [], complete: true };
  }
  const birthDate = isoDate(q);
  if (birthDate !== undefined) {
    const patients: Patient[] = [];
    const day = dayNumber(birthDate);
    demographicIndex(population).forEachBornBetween(day, day, (ordinal) => {
      const patient = population.patient(ordinal);
      if (inScope(patient) && patient.birthDate === birthDate) patients.push(patient);
      return patients.length < limit;
    });
    return { patients, complete: patients.length < limit };
  }
  if (q === '') {
    const patients: Patient[] = [];
    for (const practice of practices) {
      for (let index = 0; index < Math.min(ARCHETYPE_COUNT, practice.listSize); index++) {
        const patient = population.patientAt(practice, index);
        if (patient?.archetype !== undefined && patients.length < limit) patients.push(patient);
      }
    }
    return { patients, complete: true };
  }
  const words = q.toLowerCase().split(/\s+/);
  const patients: Patient[] = [];
  let scanned = 0;
  for (const practice of practices) {
    for (let index = 0; index < practice.listSize; index++) {
      if (patients.length >= limit || scanned >= MAX_SCANNED) return { patients, complete: false };
      scanned++;
      const patient = population.patientAt(practice, index);
      if (!patient) continue;
      const names = [...patient.name.given, patient.name.family].map((name) => name.toLowerCase());
      if (words.every((word) => names.some((name) => name.startsWith(word)))) patients.push(patient);
    }
  }
  return { patients, complete: true };
}

function isoDate(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const british = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const date = iso
    ? `${iso[1]}-${iso[2]}-${iso[3]}`
    : british
      ? `${british[3]}-${(british[2] as string).padStart(2, '0')}-${(british[1] as string).padStart(2, '0')}`
      : undefined;
  return date !== undefined && !Number.isNaN(Date.parse(date)) ? date : undefined;
}
