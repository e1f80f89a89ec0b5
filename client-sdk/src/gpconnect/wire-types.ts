import type { fhir, gpconnect } from '@gpsim/contracts';

/**
 * GP Connect STU3 wire shapes (GPC 1.6 FHIR STU3 profiles), derived from the gpsim contracts so the
 * client and the simulator share one definition. Type-only: the built client loads no schema.
 */
export type Resource = fhir.AnyResource;
export type Patient = gpconnect.Patient;
export type Slot = gpconnect.Slot;
export type Appointment = gpconnect.Appointment;
export type DocumentReference = gpconnect.DocumentReference;
export type Binary = gpconnect.Binary;
export type CapabilityStatement = gpconnect.CapabilityStatement;
export type OperationOutcome = gpconnect.OperationOutcome;
export type Parameters = gpconnect.Parameters;
export type ParametersParameter = NonNullable<Parameters['parameter']>[number];

export type BundleEntry<R extends Resource = Resource> = NonNullable<gpconnect.Bundle['entry']>[number] & {
  resource: R;
};

/** A Bundle whose entries are known to hold R (a searchset of Patients, say). */
export type Bundle<R extends Resource = Resource> = Omit<gpconnect.Bundle, 'entry'> & { entry?: BundleEntry<R>[] };
