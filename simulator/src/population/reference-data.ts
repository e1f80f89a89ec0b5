import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// Only the en_GB locale module (tens of milliseconds to load), not faker's every locale.
import { faker } from '@faker-js/faker/locale/en_GB';

/**
 * The data the population is drawn from: the verified code tables and name/place lists in
 * `fixtures/`, and faker's en_GB locale. Loaded once per process and shared by every estate.
 */

export interface CodeRow {
  code: string;
  term: string;
}
export interface ProblemRow extends CodeRow {
  category: string;
  qofGroup: string;
}
export interface ObservationRow extends CodeRow {
  unit: string;
  typicalLow: number | undefined;
  typicalHigh: number | undefined;
}
export interface MedicationRow extends CodeRow {
  form: string;
  doseText: string;
  indication: string;
}
export interface RecordStructureRow extends CodeRow {
  use: string;
}

export interface Town {
  name: string;
  county: string;
  area: string;
  districts: number[];
}

export interface ReferenceData {
  problems: Map<string, ProblemRow>;
  observations: Map<string, ObservationRow>;
  medications: Map<string, MedicationRow>;
  allergies: Map<string, CodeRow>;
  immunisations: Map<string, CodeRow>;
  recordStructure: Map<string, RecordStructureRow>;
  towns: Town[];
  publicTestPracticeTown: Town;
  surnames: string[];
  givenNames: Record<'female' | 'male', Record<BirthCohort, string[]>>;
  faker: {
    femaleGiven: string[];
    maleGiven: string[];
    surnames: string[];
    streets: string[];
  };
}

export const birthCohorts = ['before-1950', '1950-1969', '1970-1989', '1990-2009', 'since-2010'] as const;
export type BirthCohort = (typeof birthCohorts)[number];

export function birthCohortOf(year: number): BirthCohort {
  if (year < 1950) return 'before-1950';
  if (year < 1970) return '1950-1969';
  if (year < 1990) return '1970-1989';
  if (year < 2010) return '1990-2009';
  return 'since-2010';
}

/**
 * The repository's fixtures in a checkout; in an installed package (no repository around it), the copy
 * `npm pack` put inside it.
 */
const repositoryFixturesDir = resolve(__dirname, '..', '..', '..', 'fixtures');
const bundledFixturesDir = existsSync(repositoryFixturesDir)
  ? repositoryFixturesDir
  : resolve(__dirname, '..', '..', 'estate-fixtures');

/** Where fixtures live: GPSIM_FIXTURES_DIR, else the installed package's copy, else the repository's folder. */
export function defaultFixturesDir(): string {
  return process.env.GPSIM_FIXTURES_DIR ?? bundledFixturesDir;
}

const cache = new Map<string, ReferenceData>();

export function loadReferenceData(fixturesDir: string = defaultFixturesDir()): ReferenceData {
  const cached = cache.get(fixturesDir);
  if (cached) return cached;
  const codes = (file: string) => parseCsv(readFileSync(join(fixturesDir, 'codes', file), 'utf8'));
  const byCode = <T extends CodeRow>(rows: T[]) => new Map<string, T>(rows.map((row) => [row.code, row]));
  const towns = JSON.parse(readFileSync(join(fixturesDir, 'population', 'towns.json'), 'utf8')) as {
    towns: Town[];
    publicTestPracticeTown: Town;
  };
  const names = JSON.parse(readFileSync(join(fixturesDir, 'population', 'names.json'), 'utf8')) as {
    surnames: string[];
    given: ReferenceData['givenNames'];
  };
  const definitions = faker.rawDefinitions;
  const data: ReferenceData = {
    problems: byCode(
      codes('problems.csv').map((r) => ({
        code: r('code'),
        term: r('term'),
        category: r('category'),
        qofGroup: r('qof_group'),
      })),
    ),
    observations: byCode(
      codes('observations.csv').map((r) => ({
        code: r('code'),
        term: r('term'),
        unit: r('unit'),
        typicalLow: optionalNumber(r('typical_low')),
        typicalHigh: optionalNumber(r('typical_high')),
      })),
    ),
    medications: byCode(
      codes('medications.csv').map((r) => ({
        code: r('dmd_code'),
        term: r('term'),
        form: r('form'),
        doseText: r('typical_dose_text'),
        indication: r('indication_hint'),
      })),
    ),
    allergies: byCode(codes('allergies.csv').map((r) => ({ code: r('code'), term: r('term') }))),
    immunisations: byCode(codes('immunisations.csv').map((r) => ({ code: r('code'), term: r('term') }))),
    recordStructure: byCode(
      codes('record-structure.csv').map((r) => ({ code: r('code'), term: r('term'), use: r('use') })),
    ),
    towns: towns.towns,
    publicTestPracticeTown: towns.publicTestPracticeTown,
    surnames: names.surnames,
    givenNames: names.given,
    faker: {
      femaleGiven: [...(definitions.person?.first_name?.female ?? [])],
      maleGiven: [...(definitions.person?.first_name?.male ?? [])],
      surnames: [...(definitions.person?.last_name?.generic ?? [])],
      streets: [...(definitions.location?.street_name ?? [])],
    },
  };
  cache.set(fixturesDir, data);
  return data;
}

function optionalNumber(text: string): number | undefined {
  return text === '' ? undefined : Number(text);
}

/** Reads a named column of a CSV row; a missing column is a broken fixture, so it throws. */
export type CsvRow = (column: string) => string;

/** A CSV parser for the fixture tables: header row, commas, double-quoted fields. */
export function parseCsv(text: string): CsvRow[] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((value) => value !== '')) rows.push(row);
      row = [];
    } else field += char;
  }
  row.push(field);
  if (row.some((value) => value !== '')) rows.push(row);
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((values) => (column: string) => {
    const index = header.indexOf(column);
    if (index === -1) throw new Error(`fixture CSV has no column "${column}"`);
    return values[index] ?? '';
  });
}

/** A SNOMED term for display: the source's semantic tag ("(finding)") removed. */
export function displayTerm(term: string): string {
  return term.replace(/\s+\((finding|disorder|situation|observable entity|life style|procedure)\)$/, '');
}
