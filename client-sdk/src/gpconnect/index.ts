export { GpConnectClient, GP_CONNECT_INTERACTIONS } from './gpconnect-client.js';
export type { Booking, GpConnectClientOptions, ServiceRoots, SlotSearch, Versioned } from './gpconnect-client.js';
export { auditJwt } from './audit-jwt.js';
export type {
  AuditIdentity,
  RequestedScope,
  RequestingDevice,
  RequestingOrganization,
  RequestingPractitioner,
} from './audit-jwt.js';
export { structuredRecordParameters } from './structured-query.js';
export type {
  Allergies,
  BroadQuery,
  BroadSections,
  FocusedSections,
  RecordSubject,
  Consultations,
  ConsultationsQuery,
  Period,
  ProblemsQuery,
  StructuredRecordQuery,
} from './structured-query.js';
export type * from './wire-types.js';
