/** The control API shapes the console reads (a subset of @gpsim/contracts, which is server-side code). */
export interface Manifest {
  nodes: { name: string; url: string }[];
  practices: { ods: string; name: string; system: string; listSize: number }[];
  users: { username: string; role: string; ods: string; name: string }[];
  archetypes: { key: string; ods: string; nhsNumber: string; name: string }[];
}

export interface PracticeSummary {
  ods: string;
  name: string;
  system: string;
  settings: unknown;
}

export interface Scenario {
  name: string;
  description: string;
  running: boolean;
  steps: number;
}

export interface FaultRule {
  id: string;
  match: Record<string, unknown>;
  fault: { kind: string; status?: number } & Record<string, unknown>;
  scenario?: string;
  label?: string;
  activeFrom: string;
  activeUntil?: string;
  expiresAt?: string;
  active: boolean;
  matched: number;
  hits: number;
}

export interface PatientSummary {
  nhsNumber: string;
  name: string;
  birthDate: string;
  sex: string;
  ods: string;
  practiceName: string;
  system: string;
  archetype?: string;
  archetypeDescription?: string;
  sensitive: boolean;
  deceasedDate?: string;
}

export interface RecordEntry {
  id: string;
  kind: string;
  date: string;
  concept?: { code: string; display: string };
  title?: string;
  description?: string;
  dosageText?: string;
  status?: string;
  reason?: string;
  writtenBy?: { partner: string; surface: string; at: string };
}

export interface PatientRecord extends PatientSummary {
  address: { line: string[]; city: string; postalCode: string };
  usualGp?: string;
  dissent: boolean;
  inTransitSince?: string;
  record: Record<string, RecordEntry[]>;
}

export interface Task {
  id: string;
  ods: string;
  type: string;
  title: string;
  status: string;
  urgency: string;
  nhsNumber?: string;
  assignee?: { kind: string; id: string };
  source: { surface: string; sender: string };
  version: number;
  createdAt: string;
  history: { at: string; by: string; action: string; detail?: string }[];
  reason?: string;
  /** ITK3 responses sent back to the sender over MESH. */
  acks: { code: string; messageId: string; sentAt: string }[];
}

export interface JournalEntry {
  seq: number;
  time: string;
  node: string;
  surface: string;
  method: string;
  path: string;
  query: string;
  status: number;
  latencyMs: number;
  clientId?: string;
  ods?: string;
  interaction?: string;
}
