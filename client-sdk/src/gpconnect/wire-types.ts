/**
 * GP Connect STU3 wire shapes the client reads and writes (GPC 1.2.x/1.6 FHIR STU3 profiles), as
 * plain types. The one place to swap for contract-derived types.
 */
export interface Identifier {
  system: string;
  value: string;
}

export interface Reference {
  reference?: string;
  display?: string;
}

export interface Meta {
  versionId?: string;
  lastUpdated?: string;
  profile?: string[];
}

export interface Resource {
  resourceType: string;
  id?: string;
  meta?: Meta;
  [element: string]: unknown;
}

export interface HumanName {
  use?: string;
  family?: string;
  given?: string[];
  prefix?: string[];
}

export interface Patient extends Resource {
  resourceType: 'Patient';
  identifier?: Identifier[];
  name?: HumanName[];
  gender?: string;
  birthDate?: string;
}

export interface Slot extends Resource {
  resourceType: 'Slot';
  status: string;
  start: string;
  end: string;
  schedule?: Reference;
}

export interface Appointment extends Resource {
  resourceType: 'Appointment';
  status: 'booked' | 'cancelled' | string;
  start?: string;
  end?: string;
  slot?: Reference[];
  description?: string;
  comment?: string;
  participant?: { actor?: Reference; status?: string }[];
  extension?: { url: string; valueString?: string; valueReference?: Reference }[];
  contained?: Resource[];
}

export interface DocumentReference extends Resource {
  resourceType: 'DocumentReference';
  content?: { attachment: { contentType?: string; url?: string; title?: string; size?: number } }[];
}

export interface Binary extends Resource {
  resourceType: 'Binary';
  contentType: string;
  content: string;
}

export interface BundleEntry<R extends Resource = Resource> {
  fullUrl?: string;
  resource: R;
}

export interface Bundle<R extends Resource = Resource> extends Resource {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  entry?: BundleEntry<R>[];
}

export interface ParametersParameter {
  name: string;
  valueIdentifier?: Identifier;
  valueBoolean?: boolean;
  resource?: Resource;
  part?: {
    name: string;
    valueBoolean?: boolean;
    valueDate?: string;
    valuePeriod?: { start?: string; end?: string };
    valuePositiveInt?: number;
    valueCode?: string;
  }[];
}

export interface Parameters extends Resource {
  resourceType: 'Parameters';
  parameter: ParametersParameter[];
}

export interface OperationOutcome extends Resource {
  resourceType: 'OperationOutcome';
  issue: {
    severity: string;
    code: string;
    details?: { coding?: { system?: string; code?: string; display?: string }[] };
    diagnostics?: string;
  }[];
}
