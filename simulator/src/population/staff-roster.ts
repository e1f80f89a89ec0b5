import type { StaffRole, StaffUser } from '../domain/estate';
import type { IdCodec } from './ids';
import { LruCache } from './lru-cache';
import { Rng } from './random';
import type { ReferenceData } from './reference-data';
import { birthCohortOf } from './reference-data';

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

export interface RosterInput {
  seedKey: number;
  ids: IdCodec;
  reference: ReferenceData;
  patientsPerPractice: number;
  populationDate: string;
  /** Practices in the estate, the public test practice included. */
  practiceCount: number;
  /** Generated practices (the public test practice comes after them and shares no staff). */
  generatedPractices: number;
  /** The ODS code of the practice at an estate position. */
  odsOf: (practiceIndex: number) => string;
  /** Staff lists kept computed in memory (least recently used are recomputed on demand). */
  cacheSize: number;
}

interface StaffPosition {
  practiceIndex: number;
  staffIndex: number;
}

/**
 * The staff of every practice, computed when first asked for and kept in a bounded LRU of
 * practices, so starting an estate of thousands of practices builds no staff at all.
 *
 * Staff member s of practice p comes from its own random stream, except for one estate-wide rule:
 * usernames are unique, a clash drawing new digits in estate order. The usernames are therefore
 * settled in one pass over the estate (names only, a few bytes a member), the first time any staff
 * member or username is needed; that pass also indexes usernames, so logins find their user
 * without computing every practice's staff.
 */
export class StaffRoster {
  private readonly lists: LruCache<number, StaffUser[]>;
  private readonly populationYear: number;
  /** Staff each practice employs itself, in role order (the same for every practice of an estate). */
  private readonly ownRoles: readonly RoleSpec[];
  private readonly gpCount: number;
  private settled: { usernames: string[][]; positions: Map<string, StaffPosition[]> } | undefined;

  constructor(private readonly input: RosterInput) {
    this.lists = new LruCache(input.cacheSize);
    this.populationYear = Number(input.populationDate.slice(0, 4));
    this.ownRoles = roleSpecs.flatMap((roleSpec) =>
      Array.from({ length: roleSpec.count(input.patientsPerPractice) }, () => roleSpec),
    );
    this.gpCount = this.ownRoles.filter((roleSpec) => roleSpec.role === 'gp').length;
  }

  /** Practice p's staff: its own, then the GP it shares with the previous practice (see below). */
  staffOf(practiceIndex: number): StaffUser[] {
    return this.lists.getOrCreate(practiceIndex, () => {
      const staff = this.ownRoles.map((_, staffIndex) => this.member(practiceIndex, staffIndex));
      const locum = this.locumAt(practiceIndex);
      if (locum !== undefined) staff.push(this.sharedRole(locum, practiceIndex));
      return staff;
    });
  }

  /** Every role held under a username (case-insensitive), in estate order; the first is the default. */
  rolesOf(username: string): StaffUser[] {
    const positions = this.settle().positions.get(username.toLowerCase()) ?? [];
    return positions.map(({ practiceIndex, staffIndex }) => this.staffOf(practiceIndex)[staffIndex] as StaffUser);
  }

  /** How many staff lists are computed in memory. */
  get cachedPractices(): number {
    return this.lists.size;
  }

  /**
   * Locums and salaried GPs often work at more than one practice: each generated practice's last GP
   * also holds a GP role at the next practice (a separate SDS role profile, the same person and
   * login), so CIS2 login offers them a choice of role. The role comes after the practice's own
   * staff, so every own position, id and default user is unaffected. Returns the practice whose GP
   * practice p shares, if any.
   */
  private locumAt(practiceIndex: number): number | undefined {
    const generated = this.input.generatedPractices;
    if (generated < 2 || practiceIndex >= generated) return undefined;
    return (practiceIndex + generated - 1) % generated;
  }

  private sharedRole(fromPractice: number, practiceIndex: number): StaffUser {
    const staffIndex = this.ownRoles.length;
    return {
      ...this.member(fromPractice, this.gpCount - 1),
      id: this.input.ids.encode('practitioner', practiceIndex, staffIndex),
      index: staffIndex,
      ods: this.input.odsOf(practiceIndex),
      sdsRoleProfileId: twelveDigits(this.input.seedKey, 2, practiceIndex, staffIndex),
    };
  }

  private member(practiceIndex: number, staffIndex: number): StaffUser {
    const { seedKey, ids } = this.input;
    const roleSpec = this.ownRoles[staffIndex] as RoleSpec;
    const rng = Rng.of(seedKey, 4, practiceIndex, staffIndex);
    const { sex, given, family } = this.drawName(rng, roleSpec);
    const username = this.settle().usernames[practiceIndex]?.[staffIndex] as string;
    // Replays the draws that settled the username, so the rest of the stream is as it was then.
    drawUsername(rng, given, family, (candidate) => candidate === username);
    const localPart = `${given}.${family}`.toLowerCase().replace(/[^a-z.]/g, '');
    return {
      id: ids.encode('practitioner', practiceIndex, staffIndex),
      index: staffIndex,
      ods: this.input.odsOf(practiceIndex),
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
    };
  }

  private drawName(rng: Rng, roleSpec: RoleSpec): { sex: 'female' | 'male'; given: string; family: string } {
    const { reference } = this.input;
    const sex = rng.chance(roleSpec.role === 'gp' ? 0.55 : 0.8) ? 'female' : 'male';
    const birthYear = this.populationYear - rng.between(25, 62);
    const cohortNames = reference.givenNames[sex][birthCohortOf(birthYear)];
    const given = rng.chance(0.7)
      ? rng.pick(cohortNames)
      : rng.pick(sex === 'female' ? reference.faker.femaleGiven : reference.faker.maleGiven);
    const family = rng.chance(0.75) ? rng.pick(reference.surnames) : rng.pick(reference.faker.surnames);
    return { sex, given, family };
  }

  /** Settles every username in estate order (a clash draws new digits) and indexes who holds each. */
  private settle(): { usernames: string[][]; positions: Map<string, StaffPosition[]> } {
    if (this.settled) return this.settled;
    const { seedKey, practiceCount } = this.input;
    const taken = new Set<string>();
    const usernames: string[][] = [];
    const positions = new Map<string, StaffPosition[]>();
    const hold = (username: string, position: StaffPosition): void => {
      const held = positions.get(username);
      if (held) held.push(position);
      else positions.set(username, [position]);
    };
    for (let practiceIndex = 0; practiceIndex < practiceCount; practiceIndex++) {
      usernames.push(
        this.ownRoles.map((roleSpec, staffIndex) => {
          const rng = Rng.of(seedKey, 4, practiceIndex, staffIndex);
          const { given, family } = this.drawName(rng, roleSpec);
          const username = drawUsername(rng, given, family, (candidate) => !taken.has(candidate));
          taken.add(username);
          hold(username, { practiceIndex, staffIndex });
          return username;
        }),
      );
    }
    for (let practiceIndex = 0; practiceIndex < practiceCount; practiceIndex++) {
      const locum = this.locumAt(practiceIndex);
      if (locum === undefined) continue;
      hold(usernames[locum]?.[this.gpCount - 1] as string, { practiceIndex, staffIndex: this.ownRoles.length });
    }
    for (const held of positions.values()) {
      held.sort((a, b) => a.practiceIndex - b.practiceIndex || a.staffIndex - b.staffIndex);
    }
    this.settled = { usernames, positions };
    return this.settled;
  }
}

/** SystmOne-style login: first initial, surname, four digits drawn until `accept` takes them. */
function drawUsername(rng: Rng, given: string, family: string, accept: (candidate: string) => boolean): string {
  const stem = `${given[0] ?? 'x'}${family}`.toLowerCase().replace(/[^a-z]/g, '');
  for (;;) {
    const candidate = `${stem}${rng.between(1000, 9999)}`;
    if (accept(candidate)) return candidate;
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
