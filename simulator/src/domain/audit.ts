/**
 * The audit trail: every access to a patient's data on any surface says who (user, role,
 * organisation, client), which patient, what, when, and why. Events are only ever appended.
 */
export interface AuditEvent {
  /** Simulated time of the access (ISO 8601). */
  time: string;
  surface: string;
  /** What was done, e.g. "read-patient", "search-patient", "read-record". */
  action: string;
  nhsNumber?: string;
  /** The calling system (client id, API key owner, consumer ASID...). */
  clientId?: string;
  /** The person behind the request, when the surface knows them. */
  user?: string;
  role?: string;
  organisation?: string;
  /** The device the person used (e.g. an Internet SystmOne trusted device, or the launching workstation). */
  device?: string;
  /** Why: reason for request, launch context... */
  reason?: string;
  traceId?: string;
  outcome: 'allowed' | 'refused';
}

export interface StoredAuditEvent extends AuditEvent {
  seq: number;
}

export interface AuditQuery {
  nhsNumber?: string;
  user?: string;
  surface?: string;
  action?: string;
  organisation?: string;
  device?: string;
  sinceSeq?: number;
  limit?: number;
}
