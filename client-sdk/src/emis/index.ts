export { EmisClient } from './emis-client.js';
export type { EmisClientOptions, EmisSession, FileStatus, MatchedPatient, MedicalRecord } from './emis-client.js';
