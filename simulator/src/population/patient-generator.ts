import type { ArchetypeKey } from '../domain/archetypes';
import { archetypeAt } from '../domain/archetypes';
import type { Practice } from '../domain/estate';
import type { ConditionKey, Patient, PersonName, Registration, Sex, Telecom } from '../domain/patient';
import { femaleShareAt, sampleAge } from './age-structure';
import { sampleConditions } from './condition-model';
import { dateOfDay, dayNumber } from './dates';
import type { Estate } from './estate-generator';
import { dramaLandline, dramaMobile, postcode } from './estate-generator';
import { Rng } from './random';
import type { ReferenceData } from './reference-data';
import { birthCohortOf } from './reference-data';

/** Main languages other than English recorded on English GP lists, with ISO 639-1 codes. */
const otherLanguages: readonly { code: string; display: string }[] = [
  { code: 'pl', display: 'Polish' },
  { code: 'pa', display: 'Panjabi' },
  { code: 'ur', display: 'Urdu' },
  { code: 'bn', display: 'Bengali' },
  { code: 'gu', display: 'Gujarati' },
  { code: 'ar', display: 'Arabic' },
  { code: 'pt', display: 'Portuguese' },
  { code: 'ro', display: 'Romanian' },
  { code: 'so', display: 'Somali' },
  { code: 'lt', display: 'Lithuanian' },
];

const ENGLISH = { code: 'en', display: 'English' };

/** Conditions the archetypes always have, so their records are rich enough for the tests they serve. */
const archetypeConditions: Partial<Record<ArchetypeKey, ConditionKey[]>> = {
  standard: ['hypertension', 'diabetes-type-2', 'osteoarthritis'],
  'confidential-items': ['depression'],
  'large-record': [
    'hypertension',
    'diabetes-type-2',
    'ckd',
    'chd',
    'atrial-fibrillation',
    'copd',
    'osteoarthritis',
    'hypothyroidism',
    'depression',
  ],
};

/** Age ranges that keep archetypes plausible (a deceased child or a large-record teenager would mislead). */
const archetypeAges: Partial<Record<ArchetypeKey, [number, number]>> = {
  standard: [58, 72],
  deceased: [72, 94],
  'large-record': [80, 89],
  'confidential-items': [30, 60],
  'large-document': [40, 75],
  dissent: [25, 70],
  sensitive: [20, 60],
};

/**
 * Patient `index` of practice `practice`: a pure function of (seed, practice, index). Archetypes
 * occupy the first positions of every list.
 */
export function generatePatient(estate: Estate, reference: ReferenceData, practice: Practice, index: number): Patient {
  const ordinal = practice.firstOrdinal + index;
  const archetype = archetypeAt(index);
  const rng = Rng.of(estate.seedKey, 1, ordinal);
  const populationDay = dayNumber(estate.spec.populationDate);

  const forcedAge = archetype ? archetypeAges[archetype] : undefined;
  const age = forcedAge ? rng.between(forcedAge[0], forcedAge[1]) : sampleAge(rng);
  let sex: Sex = rng.chance(femaleShareAt(age)) ? 'female' : 'male';
  let birthDay = populationDay - Math.floor(age * 365.25) - rng.int(365);
  let name = generateName(rng, reference, sex, Number(dateOfDay(birthDay).slice(0, 4)), age);

  if (archetype === 'duplicate-demographics') {
    const twin = generatePatient(estate, reference, practice, 0);
    sex = twin.sex;
    birthDay = dayNumber(twin.birthDate);
    name = { ...twin.name, given: [...twin.name.given] };
  }
  const birthDate = dateOfDay(birthDay);
  const { area, districts } = practice.catchment;
  const homeDistrict = Number(practice.address.postalCode.split(' ')[0]?.slice(area.length));
  const district = rng.chance(0.6) ? homeDistrict : rng.pick(districts);
  const flat = rng.chance(0.12);
  const street = rng.pick(reference.faker.streets);
  const address = {
    line: flat
      ? [`Flat ${rng.between(1, 24)}`, `${rng.between(1, 180)} ${street}`]
      : [`${rng.between(1, 220)} ${street}`],
    city: practice.address.city,
    ...(practice.address.district ? { district: practice.address.district } : {}),
    postalCode: postcode(rng, area, district),
  };

  const telecom: Telecom[] = [];
  if (rng.chance(0.55)) telecom.push({ system: 'phone', value: dramaLandline(rng), use: 'home' });
  if (age >= 14 && rng.chance(0.85)) telecom.push({ system: 'phone', value: dramaMobile(rng), use: 'mobile' });
  if (age >= 16 && rng.chance(0.45)) {
    const local = `${name.given[0] ?? 'patient'}.${name.family}`.toLowerCase().replace(/[^a-z.]/g, '');
    telecom.push({ system: 'email', value: `${local}${rng.between(1, 999)}@example.com`, use: 'home' });
  }

  const language = rng.chance(0.92) ? { ...ENGLISH, interpreterRequired: false } : otherLanguage(rng);
  const registration = generateRegistration(rng, archetype, birthDay, populationDay, age);
  const gpCount = practice.staff.filter((member) => member.role === 'gp').length;
  const conditions = mergeConditions(
    archetype ? archetypeConditions[archetype] : undefined,
    sampleConditions(rng, age, sex),
  );

  const patient: Patient = {
    ordinal,
    practiceIndex: practice.index,
    index,
    id: estate.ids.encode('patient', ordinal, 0),
    nhsNumber: estate.nhsNumbers.numberFor(ordinal),
    nhsNumberStatus: archetype === 'unverified' ? '02' : '01',
    ...(archetype ? { archetype } : {}),
    name,
    sex,
    birthDate,
    address,
    telecom,
    language,
    registration,
    usualGpIndex: rng.int(gpCount),
    sensitive: archetype === 'sensitive',
    dissent: archetype === 'dissent',
    onPds: archetype !== 'unverified',
    supersededNhsNumbers:
      archetype === 'superseded' ? [estate.nhsNumbers.numberFor(estate.supersededAliasOrdinal(practice.index))] : [],
    conditions,
  };
  if (archetype === 'deceased') patient.deceasedDate = registration.end as string;
  if (archetype === 'in-transit') patient.inTransitSince = registration.start;
  return patient;
}

function generateName(rng: Rng, reference: ReferenceData, sex: Sex, birthYear: number, age: number): PersonName {
  const binarySex = sex === 'male' ? 'male' : 'female';
  const cohort = reference.givenNames[binarySex][birthCohortOf(birthYear)];
  const fakerNames = binarySex === 'male' ? reference.faker.maleGiven : reference.faker.femaleGiven;
  const givenName = () => (rng.chance(0.65) ? rng.pick(cohort) : rng.pick(fakerNames));
  const given = [givenName()];
  if (rng.chance(0.3)) {
    const middle = givenName();
    if (middle !== given[0]) given.push(middle);
  }
  const family = rng.chance(0.72) ? rng.pick(reference.surnames) : rng.pick(reference.faker.surnames);
  return { prefix: prefixFor(rng, binarySex, age), given, family };
}

function prefixFor(rng: Rng, sex: 'female' | 'male', age: number): string {
  if (age < 16) return sex === 'male' ? 'Master' : 'Miss';
  if (rng.chance(0.015)) return 'Dr';
  if (sex === 'male') return 'Mr';
  const r = rng.fraction();
  return r < 0.55 ? 'Mrs' : r < 0.8 ? 'Ms' : 'Miss';
}

function otherLanguage(rng: Rng): Patient['language'] {
  const language = rng.pick(otherLanguages);
  return { ...language, interpreterRequired: rng.chance(0.4) };
}

function generateRegistration(
  rng: Rng,
  archetype: ArchetypeKey | undefined,
  birthDay: number,
  populationDay: number,
  age: number,
): Registration {
  const yearsRegistered = Math.min(age, rng.chance(0.35) ? rng.between(0, 5) : rng.between(0, 40));
  const startDay = Math.max(
    birthDay + rng.int(60),
    populationDay - Math.floor(yearsRegistered * 365.25) - rng.int(365),
  );
  const start = dateOfDay(Math.min(startDay, populationDay - 1));
  switch (archetype) {
    case 'deceased':
      return { type: 'R', status: 'I', start, end: dateOfDay(populationDay - rng.between(30, 300)) };
    case 'inactive':
      return { type: 'R', status: 'I', start, end: dateOfDay(populationDay - rng.between(60, 700)) };
    case 'temporary-resident':
      return { type: 'T', status: 'A', start: dateOfDay(populationDay - rng.between(3, 45)) };
    case 'in-transit':
      return { type: 'R', status: 'A', start: dateOfDay(populationDay - rng.between(7, 40)) };
    default:
      return { type: 'R', status: 'A', start };
  }
}

function mergeConditions(forced: ConditionKey[] | undefined, sampled: ConditionKey[]): ConditionKey[] {
  if (!forced) return sampled;
  const merged = new Set<ConditionKey>([...forced, ...sampled]);
  if (merged.has('diabetes-type-2')) merged.delete('diabetes-type-1');
  return [...merged];
}
