import { control } from '@gpsim/contracts';

/** The simulated GP estate: practices, their sites and their staff. Vendor-neutral. */

export const gpSystems = control.gpSystems;
export type GpSystem = (typeof gpSystems)[number];

export interface Address {
  line: string[];
  city: string;
  district?: string;
  postalCode: string;
}

export interface Coding {
  code: string;
  display: string;
}

/** A site of a practice: the main surgery or a branch. */
export interface PracticeLocation {
  id: string;
  /** ODS site code (fictitious). */
  siteCode: string;
  name: string;
  address: Address;
  phone: string;
  main: boolean;
}

export const staffRoles = control.staffRoles;
export type StaffRole = (typeof staffRoles)[number];

export interface StaffUser {
  id: string;
  /** Position in the practice's staff list; stable for a seed. */
  index: number;
  ods: string;
  role: StaffRole;
  /** SystmOne-style login: first initial, surname, four digits (e.g. "jsmith2304"). */
  username: string;
  prefix: string;
  given: string;
  family: string;
  sex: 'female' | 'male';
  /** SDS user id (12 digits), as in the smartcard/CIS2 identity. */
  sdsUserId: string;
  /** SDS role profile id (12 digits) for this user's role at this practice. */
  sdsRoleProfileId: string;
  /** SDS job role (e.g. R0260 General Medical Practitioner). */
  jobRole: Coding;
  /** National RBAC access role (e.g. R8000 Clinical Practitioner Access Role). */
  accessRole: Coding;
  /** Professional registration (GMC for doctors, NMC for nurses, GPhC for pharmacists), fictitious. */
  professionalId?: { system: 'gmc' | 'nmc' | 'gphc'; value: string };
  /** Work email for device one-time passcodes; some users have none, as in real practices. */
  email?: string;
}

export interface Practice {
  /** Position in the estate; stable for a seed and estate size. */
  index: number;
  ods: string;
  name: string;
  system: GpSystem;
  /** Accredited System ID of the practice's GP Connect endpoint (12 digits). */
  asid: string;
  /** Spine party key: ODS code, hyphen, seven digits. */
  partyKey: string;
  address: Address;
  phone: string;
  locations: PracticeLocation[];
  /** Postcode area and districts its patients live in. */
  catchment: { area: string; districts: number[] };
  /** Registered list size (patients whose ordinals belong to this practice). */
  listSize: number;
  /** First estate ordinal of this practice's list. */
  firstOrdinal: number;
  /** Computed on first read and kept in a bounded cache: read it where it is needed, don't hold it. */
  readonly staff: StaffUser[];
  /** True for the public test practice carried over from the GP Connect test material. */
  publicTestPractice: boolean;
}

/** A consumer system registered with the simulated Spine (for Ssp-From checks). */
export interface Consumer {
  asid: string;
  name: string;
  ods: string;
}
