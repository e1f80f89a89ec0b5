import { createHash } from 'node:crypto';
import type { Identity, Permission } from './identity/role-permissions';
import { assertAuthorised } from './identity/role-permissions';

/**
 * The partner products gpsim knows (the IM1 "pairing": an API key and device registration per
 * product, then authorisation per practice, as the go-live guide's practice configuration step).
 * Credentials are fictitious and derived from the seed, so they are stable for a seed and never real.
 */
export const systmOneFunctions = [
  'GetCurrentSelection',
  'PatientSearch',
  'GetPatientRecord',
  'UpdatePatientRecord',
  'LaunchFunctionality',
  'CreateTask',
  'GetTasks',
  'GetTask',
  'GetAppointmentSlots',
  'BookAppointment',
] as const;
export type SystmOneFunction = (typeof systmOneFunctions)[number];

/** EMIS partner API features a practice activates per partner (EMAS Manager, approximate). */
export const emisFunctions = [
  'GetMatchedPatient',
  'GetMedicalRecord',
  'FileRecord',
  'GetFileStatus',
  'CreateTask',
  'GetWorkflowItems',
  'GetWorkflowItem',
  'GetAppointmentSessions',
  'BookAppointment',
  'GetDocuments',
  'AddDocument',
] as const;
export type EmisFunction = (typeof emisFunctions)[number];

/**
 * What each partner function does in the practice's name, as the role matrix sees it: the desktop
 * or session user must hold that permission (seeds/healthtech-go-live-guide.txt §5.1, RBAC applied
 * to partner calls as to the clinical system's own screens). LaunchFunctionality only opens a
 * SystmOne screen, which applies its own checks, so it needs none here.
 */
const partnerFunctionPermissions: Record<SystmOneFunction | EmisFunction, Permission | undefined> = {
  GetCurrentSelection: { area: 'demographics', action: 'view' },
  PatientSearch: { area: 'demographics', action: 'view' },
  GetMatchedPatient: { area: 'demographics', action: 'view' },
  GetPatientRecord: { area: 'clinical-record', action: 'view' },
  GetMedicalRecord: { area: 'clinical-record', action: 'view' },
  GetFileStatus: { area: 'clinical-record', action: 'view' },
  UpdatePatientRecord: { area: 'clinical-record', action: 'create-change' },
  FileRecord: { area: 'clinical-record', action: 'create-change' },
  LaunchFunctionality: undefined,
  GetTasks: { area: 'workflow-tasks', action: 'view' },
  GetTask: { area: 'workflow-tasks', action: 'view' },
  GetWorkflowItems: { area: 'workflow-tasks', action: 'view' },
  GetWorkflowItem: { area: 'workflow-tasks', action: 'view' },
  CreateTask: { area: 'workflow-tasks', action: 'create-change' },
  GetAppointmentSlots: { area: 'appointments', action: 'view' },
  GetAppointmentSessions: { area: 'appointments', action: 'view' },
  BookAppointment: { area: 'appointments', action: 'create-change' },
  GetDocuments: { area: 'documents', action: 'view' },
  AddDocument: { area: 'documents', action: 'create-change' },
};

/** The permission a partner function needs of the user it acts for; undefined when it needs none. */
export function partnerFunctionPermission(fn: SystmOneFunction | EmisFunction): Permission | undefined {
  return partnerFunctionPermissions[fn];
}

/** Refuses (forbidden, reason role) when the user's role does not allow the partner function. */
export function assertUserMayCall(user: Identity, fn: SystmOneFunction | EmisFunction): void {
  const permission = partnerFunctionPermissions[fn];
  if (permission !== undefined) assertAuthorised(user, permission);
}

export interface PartnerDefinition {
  name: string;
  description: string;
  /** Whether every practice authorises it by default. */
  enabledByDefault: boolean;
}

export const partnerDefinitions: readonly PartnerDefinition[] = [
  {
    name: 'gpsim-demo',
    description: 'Enabled with every function at every practice, so a first call succeeds.',
    enabledByDefault: true,
  },
  { name: 'gpsim-unpaired', description: 'Enabled nowhere: rehearse refusals.', enabledByDefault: false },
];

export interface PartnerCredentials {
  name: string;
  description: string;
  apiKey: string;
  deviceId: string;
  clientId: string;
  clientSecret: string;
}

function derive(seed: string, name: string, purpose: string, length: number): string {
  return createHash('sha256').update(`gpsim-partner:${seed}:${name}:${purpose}`).digest('hex').slice(0, length);
}

export function partnerCredentials(seed: string): PartnerCredentials[] {
  return partnerDefinitions.map((partner) => ({
    name: partner.name,
    description: partner.description,
    apiKey: derive(seed, partner.name, 'api-key', 32),
    // SystmOne device ids in the public example are 16 hex digits.
    deviceId: derive(seed, partner.name, 'device', 16),
    clientId: `${partner.name}-client`,
    clientSecret: derive(seed, partner.name, 'client-secret', 40),
  }));
}

/** The practice switches each partner starts with: every function of both APIs on, authorised per the catalogue. */
export function defaultPartnerSettings(): Record<string, { enabled: boolean; functions: Record<string, boolean> }> {
  return Object.fromEntries(
    partnerDefinitions.map((partner) => [
      partner.name,
      {
        enabled: partner.enabledByDefault,
        functions: Object.fromEntries([...systmOneFunctions, ...emisFunctions].map((name) => [name, true])),
      },
    ]),
  );
}
