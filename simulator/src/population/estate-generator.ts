import type { Consumer, GpSystem, Practice, PracticeLocation, StaffRole, StaffUser } from '../domain/estate';
import { ARCHETYPE_COUNT } from '../domain/archetypes';
import { IdCodec } from './ids';
import { NhsNumberAllocator } from './nhs-number-allocator';
import { Rng, hashString } from './random';
import type { ReferenceData, Town } from './reference-data';
import { birthCohortOf } from './reference-data';

export interface EstateSpec {
  seed: string;
  /** Generated practices (alternately SystmOne and EMIS); the public test practice is added after them. */
  practices: number;
  patientsPerPractice: number;
  /** The date the computed records run up to (YYYY-MM-DD); fixed so the estate is reproducible. */
  populationDate: string;
}

export const DEFAULT_ESTATE_SPEC: EstateSpec = {
  seed: 'gpsim',
  practices: 6,
  patientsPerPractice: 2000,
  populationDate: '2026-11-01',
};

export const MAX_PATIENTS_PER_PRACTICE = 20_000;
export const PUBLIC_TEST_PRACTICE_ODS = 'B82617';
/** The provider ASID the GP Connect demonstrator and the official provider test suite use for B82617. */
export const PUBLIC_TEST_PRACTICE_ASID = '918999198738';

export interface Estate {
  spec: EstateSpec;
  seedKey: number;
  ids: IdCodec;
  nhsNumbers: NhsNumberAllocator;
  practices: Practice[];
  practiceByOds: Map<string, Practice>;
  consumers: Consumer[];
  /** Patients registered across all practices (ordinals 0..totalPatients-1). */
  totalPatients: number;
  /** Ordinal whose NHS number is the superseded (old) number of practice p's superseded archetype. */
  supersededAliasOrdinal(practiceIndex: number): number;
  /** The practice whose superseded archetype an alias ordinal belongs to, if it is one. */
  practiceOfAliasOrdinal(ordinal: number): number | undefined;
}

/** Consumer systems registered with the simulated Spine (Ssp-From ASIDs). */
export const registeredConsumers: readonly Consumer[] = [
  { asid: '200000000359', name: 'GP Connect provider test suite consumer', ods: 'GPC001' },
  { asid: '200000000115', name: 'gpsim demo consumer', ods: 'X26' },
];

/** Fictitious practice names in the styles English practices use. */
const nameStems = [
  'Elm Tree',
  'Oakwood',
  'Beech House',
  'Willow',
  'Riverside',
  'Parkside',
  'Millbrook',
  'Church View',
  'Station Road',
  'Market Street',
  'Castle',
  'Bridge House',
  'Abbey',
  'Hillside',
  'Meadowbank',
  'Orchard',
  'Brookfield',
  'Fairfield',
  'Valley',
  'Priory',
  'Heathview',
  'Kingsway',
  'Larchwood',
  'Moorside',
];
const nameStyles: readonly ((town: string, stem: string) => string)[] = [
  (_town, stem) => `${stem} Surgery`,
  (_town, stem) => `${stem} Medical Centre`,
  (town, stem) => `${town} ${stem} Practice`,
  (town) => `${town} Health Centre`,
  (_town, stem) => `${stem} Family Practice`,
];

export function buildEstate(spec: EstateSpec, reference: ReferenceData): Estate {
  validateSpec(spec);
  const seedKey = hashString(spec.seed);
  const ids = new IdCodec(spec.seed);
  const nhsNumbers = new NhsNumberAllocator(spec.seed);
  const practiceCount = spec.practices + 1;
  const totalPatients = practiceCount * spec.patientsPerPractice;
  if (totalPatients + practiceCount > nhsNumbers.capacity) {
    throw new RangeError(
      `An estate of ${totalPatients} patients does not fit the NHS test range (999 000 0000 - 999 999 9999 holds ${nhsNumbers.capacity} valid numbers); use fewer practices or patients per practice.`,
    );
  }
  const odsNumbers = odsNumberPermutation(seedKey);
  const usernames = new Set<string>();
  const practices: Practice[] = [];
  for (let index = 0; index < practiceCount; index++) {
    const publicTest = index === spec.practices;
    practices.push(
      buildPractice({
        index,
        publicTest,
        ods: publicTest ? PUBLIC_TEST_PRACTICE_ODS : `X${odsNumbers(index)}`,
        system: publicTest ? 'emis' : index % 2 === 0 ? 'systmone' : 'emis',
        spec,
        seedKey,
        ids,
        reference,
        usernames,
      }),
    );
  }
  addMultiSiteRoles(practices.slice(0, spec.practices), seedKey, ids);
  const capacity = nhsNumbers.capacity;
  return {
    spec,
    seedKey,
    ids,
    nhsNumbers,
    practices,
    practiceByOds: new Map(practices.map((practice) => [practice.ods, practice])),
    consumers: [...registeredConsumers],
    totalPatients,
    // Alias numbers are taken from the top of the range so that growing the estate never moves them.
    supersededAliasOrdinal: (practiceIndex) => capacity - 1 - practiceIndex,
    practiceOfAliasOrdinal: (ordinal) => {
      const practiceIndex = capacity - 1 - ordinal;
      return practiceIndex >= 0 && practiceIndex < practiceCount ? practiceIndex : undefined;
    },
  };
}

function validateSpec(spec: EstateSpec): void {
  if (!Number.isInteger(spec.practices) || spec.practices < 0) {
    throw new RangeError('practices must be a whole number, 0 or more');
  }
  if (
    !Number.isInteger(spec.patientsPerPractice) ||
    spec.patientsPerPractice < ARCHETYPE_COUNT ||
    spec.patientsPerPractice > MAX_PATIENTS_PER_PRACTICE
  ) {
    throw new RangeError(
      `patients per practice must be a whole number from ${ARCHETYPE_COUNT} (the archetypes) to ${MAX_PATIENTS_PER_PRACTICE}`,
    );
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(spec.populationDate) || Number.isNaN(Date.parse(spec.populationDate))) {
    throw new RangeError('populationDate must be a date written YYYY-MM-DD');
  }
}

/**
 * Fictitious practice codes: "X" and five digits, a seeded permutation of 10000-99999 that skips
 * X12345 (a fixed organisation of the official provider test suite).
 */
function odsNumberPermutation(seedKey: number): (index: number) => string {
  const size = 89_999;
  const step = 7919; // prime, so stepping visits every value once
  const offset = seedKey % size;
  return (index) => {
    let value = 10_000 + ((offset + index * step) % size);
    if (value >= 12_345) value += 1;
    return String(value);
  };
}

interface PracticeInput {
  index: number;
  publicTest: boolean;
  ods: string;
  system: GpSystem;
  spec: EstateSpec;
  seedKey: number;
  ids: IdCodec;
  reference: ReferenceData;
  usernames: Set<string>;
}

function buildPractice(input: PracticeInput): Practice {
  const { index, publicTest, ods, spec, seedKey, ids, reference } = input;
  const rng = Rng.of(seedKey, 2, index);
  const town: Town = publicTest ? reference.publicTestPracticeTown : rng.pick(reference.towns);
  const district = rng.pick(town.districts);
  const street = rng.pick(reference.faker.streets);
  const name = publicTest
    ? 'COXWOLD SURGERY (gpsim test practice)'
    : rng.pick(nameStyles)(town.name, rng.pick(nameStems));
  const address = {
    line: [`${rng.between(1, 120)} ${street}`],
    city: town.name,
    district: town.county,
    postalCode: postcode(rng, town.area, district),
  };
  const phone = dramaLandline(rng);
  const branchCount = publicTest ? 1 : rng.chance(0.4) ? rng.between(1, 2) : 0;
  const locations: PracticeLocation[] = [];
  for (let site = 0; site <= branchCount; site++) {
    const siteStreet = site === 0 ? street : rng.pick(reference.faker.streets);
    const siteDistrict = site === 0 ? district : rng.pick(town.districts);
    locations.push({
      id: ids.encode('location', index, site),
      // The public test practice keeps the site codes the official provider test suite maps (SIT1, SIT2).
      siteCode: publicTest ? (['Z26556', 'Z33432'][site] as string) : `${ods}${String(site + 1).padStart(3, '0')}`,
      name: site === 0 ? name : `${name} (${siteStreet.split(' ')[0]} branch)`,
      address:
        site === 0
          ? address
          : {
              line: [`${rng.between(1, 120)} ${siteStreet}`],
              city: town.name,
              district: town.county,
              postalCode: postcode(rng, town.area, siteDistrict),
            },
      phone: site === 0 ? phone : dramaLandline(rng),
      main: site === 0,
    });
  }
  return {
    index,
    ods,
    name,
    system: input.system,
    asid: publicTest ? PUBLIC_TEST_PRACTICE_ASID : String(200_000_000_000 + (index + 1) * 1000 + rng.int(1000)),
    partyKey: `${ods}-${String(1_000_000 + rng.int(9_000_000))}`,
    address,
    phone,
    locations,
    catchment: { area: town.area, districts: [...town.districts] },
    listSize: spec.patientsPerPractice,
    firstOrdinal: index * spec.patientsPerPractice,
    staff: buildStaff(input),
    publicTestPractice: publicTest,
  };
}

interface RoleSpec {
  role: StaffRole;
  count: (listSize: number) => number;
  jobRole: { code: string; display: string };
  accessRole: { code: string; display: string };
  prefix: (sex: 'female' | 'male', rng: Rng) => string;
  hasEmail: number;
}

/**
 * Staff roles with SDS job role codes and national RBAC access roles from NHS Digital's SDS role
 * group table. Staffing ratios are typical of English practices (about one GP per 1,700 patients).
 */
const roleSpecs: readonly RoleSpec[] = [
  {
    role: 'gp',
    count: (list) => Math.max(2, Math.round(list / 1700)),
    jobRole: { code: 'R0260', display: 'General Medical Practitioner' },
    accessRole: { code: 'R8000', display: 'Clinical Practitioner Access Role' },
    prefix: () => 'Dr',
    hasEmail: 0.95,
  },
  {
    role: 'nurse',
    count: (list) => Math.max(1, Math.round(list / 3500)),
    jobRole: { code: 'R0620', display: 'Staff Nurse' },
    accessRole: { code: 'R8001', display: 'Nurse Access Role' },
    prefix: honorific,
    hasEmail: 0.9,
  },
  {
    role: 'hca',
    count: (list) => 1 + Math.floor(list / 8000),
    jobRole: { code: 'R1480', display: 'Healthcare Assistant' },
    accessRole: { code: 'R8003', display: 'Health Professional Access Role' },
    prefix: honorific,
    hasEmail: 0.8,
  },
  {
    role: 'pharmacist',
    count: () => 1,
    jobRole: { code: 'R9804', display: 'Clinical Pharmacists' },
    accessRole: { code: 'R8003', display: 'Health Professional Access Role' },
    prefix: honorific,
    hasEmail: 0.9,
  },
  {
    role: 'receptionist',
    count: (list) => Math.max(2, Math.round(list / 1500)),
    jobRole: { code: 'R1730', display: 'Receptionist' },
    accessRole: { code: 'R8009', display: 'Receptionist Access Role' },
    prefix: honorific,
    hasEmail: 0.6,
  },
  {
    role: 'practice-manager',
    count: () => 1,
    jobRole: { code: 'R1780', display: 'Manager' },
    accessRole: { code: 'R8011', display: 'Clerical Manager Access Role' },
    prefix: honorific,
    hasEmail: 1,
  },
  {
    role: 'system-administrator',
    count: () => 1,
    jobRole: { code: 'R5007', display: 'System Administrator' },
    accessRole: { code: 'R8015', display: 'Systems Support Access Role' },
    prefix: honorific,
    hasEmail: 1,
  },
];

function honorific(sex: 'female' | 'male', rng: Rng): string {
  return sex === 'male' ? 'Mr' : rng.pick(['Mrs', 'Ms', 'Miss']);
}

function buildStaff(input: PracticeInput): StaffUser[] {
  const { index: practiceIndex, ods, ids, reference, usernames, seedKey, spec } = input;
  const staff: StaffUser[] = [];
  const populationYear = Number(spec.populationDate.slice(0, 4));
  for (const roleSpec of roleSpecs) {
    const count = roleSpec.count(spec.patientsPerPractice);
    for (let n = 0; n < count; n++) {
      const staffIndex = staff.length;
      const rng = Rng.of(seedKey, 4, practiceIndex, staffIndex);
      const sex = rng.chance(roleSpec.role === 'gp' ? 0.55 : 0.8) ? 'female' : 'male';
      const birthYear = populationYear - rng.between(25, 62);
      const cohortNames = reference.givenNames[sex][birthCohortOf(birthYear)];
      const given = rng.chance(0.7)
        ? rng.pick(cohortNames)
        : rng.pick(sex === 'female' ? reference.faker.femaleGiven : reference.faker.maleGiven);
      const family = rng.chance(0.75) ? rng.pick(reference.surnames) : rng.pick(reference.faker.surnames);
      const username = uniqueUsername(`${given[0] ?? 'x'}${family}`, rng, usernames);
      const localPart = `${given}.${family}`.toLowerCase().replace(/[^a-z.]/g, '');
      staff.push({
        id: ids.encode('practitioner', practiceIndex, staffIndex),
        index: staffIndex,
        ods,
        role: roleSpec.role,
        username,
        prefix: roleSpec.prefix(sex, rng),
        given,
        family,
        sex,
        sdsUserId: twelveDigits(seedKey, 1, practiceIndex, staffIndex),
        sdsRoleProfileId: twelveDigits(seedKey, 2, practiceIndex, staffIndex),
        jobRole: roleSpec.jobRole,
        accessRole: roleSpec.accessRole,
        ...(rng.chance(roleSpec.hasEmail) ? { email: `${localPart}${rng.between(1, 99)}@nhs.gpsim.example` } : {}),
      });
    }
  }
  return staff;
}

/**
 * Locums and salaried GPs often work at more than one practice: each practice's last GP also holds
 * a GP role at the next practice (a separate SDS role profile, the same person and login), so CIS2
 * login offers them a choice of role. The role is appended to the other practice's staff list, so
 * every existing position, id and default user stays as it was.
 */
function addMultiSiteRoles(practices: Practice[], seedKey: number, ids: IdCodec): void {
  if (practices.length < 2) return;
  const locums = practices.map((practice) => practice.staff.filter((member) => member.role === 'gp').at(-1));
  practices.forEach((practice, index) => {
    const locum = locums[index];
    const other = practices[(index + 1) % practices.length];
    if (!locum || !other) return;
    const staffIndex = other.staff.length;
    other.staff.push({
      ...locum,
      id: ids.encode('practitioner', other.index, staffIndex),
      index: staffIndex,
      ods: other.ods,
      sdsRoleProfileId: twelveDigits(seedKey, 2, other.index, staffIndex),
    });
  });
}

function uniqueUsername(base: string, rng: Rng, taken: Set<string>): string {
  const stem = base.toLowerCase().replace(/[^a-z]/g, '');
  for (;;) {
    const candidate = `${stem}${rng.between(1000, 9999)}`;
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
}

/** A 12-digit identifier unique per (kind, practice, staff member): an affine bijection, seeded. */
function twelveDigits(seedKey: number, kind: number, practiceIndex: number, staffIndex: number): string {
  const position = BigInt((practiceIndex * 1000 + staffIndex) * 2 + (kind - 1));
  const span = 900_000_000_000n;
  // The multiplier is coprime with the span, so distinct positions give distinct identifiers.
  const value = 100_000_000_000n + ((position * 7_919_000_003n + BigInt(seedKey % 1_000_000)) % span);
  return value.toString();
}

/** Postcode in the town's area and district, with a random sector and unit. */
export function postcode(rng: Rng, area: string, district: number): string {
  const unitLetters = 'ABDEFGHJLNPQRSTUWXYZ';
  return `${area}${district} ${rng.int(10)}${rng.pick([...unitLetters])}${rng.pick([...unitLetters])}`;
}

/** A landline number from Ofcom's range reserved for drama (01632 960000-960999): never a real line. */
export function dramaLandline(rng: Rng): string {
  return `01632 960${String(rng.int(1000)).padStart(3, '0')}`;
}

/** A mobile number from Ofcom's drama range (07700 900000-900999). */
export function dramaMobile(rng: Rng): string {
  return `07700 900${String(rng.int(1000)).padStart(3, '0')}`;
}
