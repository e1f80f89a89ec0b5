import type { Consumer, GpSystem, Practice, PracticeLocation } from '../domain/estate';
import { ARCHETYPE_COUNT } from '../domain/archetypes';
import { IdCodec } from './ids';
import { LruCache } from './lru-cache';
import { NhsNumberAllocator } from './nhs-number-allocator';
import { Rng, hashString } from './random';
import type { ReferenceData, Town } from './reference-data';
import { StaffRoster } from './staff-roster';

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
  /** Every practice's staff, computed on first use (`practice.staff` reads it). */
  staff: StaffRoster;
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

/** Practices whose details and staff lists are kept computed by default; a practice is a few kilobytes. */
export const DEFAULT_PRACTICE_CACHE_SIZE = 1_000;

export function buildEstate(
  spec: EstateSpec,
  reference: ReferenceData,
  practiceCacheSize = DEFAULT_PRACTICE_CACHE_SIZE,
): Estate {
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
  const odsOf = (index: number): string =>
    index === spec.practices ? PUBLIC_TEST_PRACTICE_ODS : `X${odsNumbers(index)}`;
  const staff = new StaffRoster({
    seedKey,
    ids,
    reference,
    patientsPerPractice: spec.patientsPerPractice,
    populationDate: spec.populationDate,
    practiceCount,
    generatedPractices: spec.practices,
    odsOf,
    cacheSize: practiceCacheSize,
  });
  const details = new LruCache<number, PracticeDetails>(practiceCacheSize);
  const practices: Practice[] = [];
  for (let index = 0; index < practiceCount; index++) {
    const publicTest = index === spec.practices;
    practices.push(
      buildPractice({
        index,
        publicTest,
        ods: odsOf(index),
        system: publicTest ? 'emis' : index % 2 === 0 ? 'systmone' : 'emis',
        spec,
        seedKey,
        ids,
        reference,
        staff,
        details,
      }),
    );
  }
  const capacity = nhsNumbers.capacity;
  return {
    spec,
    seedKey,
    ids,
    nhsNumbers,
    practices,
    practiceByOds: new Map(practices.map((practice) => [practice.ods, practice])),
    staff,
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
  staff: StaffRoster;
  details: LruCache<number, PracticeDetails>;
}

/** What a practice's own random stream decides: names, codes, addresses and sites. */
type PracticeDetails = Pick<Practice, 'name' | 'asid' | 'partyKey' | 'address' | 'phone' | 'locations' | 'catchment'>;

/**
 * A practice whose position, code and system are known at once, and whose details (and staff) are
 * computed on first read and kept in bounded caches: starting an estate of thousands of practices
 * computes none of them.
 */
function buildPractice(input: PracticeInput): Practice {
  const { index, publicTest, ods, spec } = input;
  const details = (): PracticeDetails => input.details.getOrCreate(index, () => practiceDetails(input));
  return {
    index,
    ods,
    get name() {
      return details().name;
    },
    system: input.system,
    get asid() {
      return details().asid;
    },
    get partyKey() {
      return details().partyKey;
    },
    get address() {
      return details().address;
    },
    get phone() {
      return details().phone;
    },
    get locations() {
      return details().locations;
    },
    get catchment() {
      return details().catchment;
    },
    listSize: spec.patientsPerPractice,
    firstOrdinal: index * spec.patientsPerPractice,
    get staff() {
      return input.staff.staffOf(index);
    },
    publicTestPractice: publicTest,
  };
}

function practiceDetails(input: PracticeInput): PracticeDetails {
  const { index, publicTest, ods, seedKey, ids, reference } = input;
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
    name,
    asid: publicTest ? PUBLIC_TEST_PRACTICE_ASID : String(200_000_000_000 + (index + 1) * 1000 + rng.int(1000)),
    partyKey: `${ods}-${String(1_000_000 + rng.int(9_000_000))}`,
    address,
    phone,
    locations,
    catchment: { area: town.area, districts: [...town.districts] },
  };
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
