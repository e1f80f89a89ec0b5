import type { systmone } from '@gpsim/contracts';
import type { XmlElement, XmlObject } from '../shared/xml.js';

/**
 * SystmOne Client Integration function parameters (FunctionParameters children), as gpsim reads
 * them. Approximate beyond the public GetPatientRecord example (docs/partner-apis.md). Typed here
 * because the contract leaves FunctionParameters open (one request shape for every function).
 */
export interface Identity {
  NhsNumber: string;
}

export interface ClinicalCode {
  Code: { '@Code': string; '@Scheme'?: 'SNOMED'; '@Term': string };
  /** Present: the code becomes a problem of this severity; absent: an observation. */
  ProblemSeverity?: 'Major' | 'Minor';
  Value?: { '@Units'?: string; '#text': string } | string;
}

export interface SystmOneFunctionParameters {
  GetCurrentSelection: Record<string, never>;
  PatientSearch:
    { NhsNumber: string } | { Surname?: string; DateOfBirth?: string; Sex?: 'M' | 'F' | 'I' | 'U'; Postcode?: string };
  GetPatientRecord: { Identity: Identity; DemographicsOnly?: boolean };
  UpdatePatientRecord: {
    Identity: Identity;
    Event: { '@DateTime'?: string; Narrative?: { Line: string[] }; ClinicalCode?: ClinicalCode[] };
  };
  LaunchFunctionality: { Functionality: string; Identity?: Identity };
  CreateTask: { Title: string; Identity?: Identity; Urgent?: boolean; TaskType?: string; Group?: string };
  GetAppointmentSlots: { DateFrom: string; DateTo: string };
  BookAppointment: { Identity: Identity; SlotUID: string; Reason?: string };
  GetTasks: {
    Status?: 'Outstanding' | 'Started' | 'Completed' | 'Rejected' | 'Cancelled';
    Identity?: Identity;
  };
  GetTask: { TaskUID: string };
}

export type SystmOneFunction = keyof SystmOneFunctionParameters;

/**
 * Each function's result (its Response element), derived from the gpsim contracts (type-only: the
 * built client loads no schema).
 */
export interface SystmOneResults {
  GetCurrentSelection: systmone.GetCurrentSelectionResult;
  PatientSearch: systmone.PatientSearchResult;
  GetPatientRecord: systmone.GetPatientRecordResult;
  UpdatePatientRecord: systmone.UpdatePatientRecordResult;
  LaunchFunctionality: systmone.LaunchFunctionalityResult;
  CreateTask: systmone.CreateTaskResult;
  GetAppointmentSlots: systmone.GetAppointmentSlotsResult;
  BookAppointment: systmone.BookAppointmentResult;
  GetTasks: systmone.GetTasksResult;
  GetTask: systmone.GetTaskResult;
}

/** GetPatientRecord's result. */
export type PatientRecordResult = SystmOneResults['GetPatientRecord'];

/** A successful reply: the envelope fields and the function's Response element. */
export interface ClientIntegrationReply<Result = XmlObject> {
  requestUid: string;
  responseUid: string;
  /** The Response element in the contracts' plain form (leaf text, "@Attribute", repeated names as arrays). */
  result: Result;
  /** The Response element as parsed. */
  response: XmlElement;
  /** The whole reply document. */
  document: XmlElement;
}
