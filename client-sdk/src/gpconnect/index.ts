export { GpConnectClient, GP_CONNECT_INTERACTIONS } from './gpconnect-client.js';
export type { Booking, GpConnectClientOptions, ServiceRoots, SlotSearch, Versioned } from './gpconnect-client.js';
export { auditJwt } from './audit-jwt.js';
export type {
  AuditIdentity,
  ReasonForRequest,
  RequestedScope,
  RequestingDevice,
  RequestingOrganization,
  RequestingPractitioner,
} from './audit-jwt.js';
export { migrateRecordParameters, structuredRecordParameters } from './structured-query.js';
export type {
  Allergies,
  BroadQuery,
  BroadSections,
  FocusedSections,
  MigrateRecordQuery,
  RecordSubject,
  Consultations,
  ConsultationsQuery,
  Period,
  ProblemsQuery,
  StructuredRecordQuery,
} from './structured-query.js';
export type * from './wire-types.js';
