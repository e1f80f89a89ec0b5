export { EmisClient } from './emis-client.js';
export type {
  ContractInput,
  ContractOutput,
  MethodFields,
  EmisClientOptions,
  EmisSession,
  FileStatus,
  MatchedPatient,
  MedicalRecord,
} from './emis-client.js';
