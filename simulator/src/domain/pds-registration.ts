import type { SettingsRepository } from '../store/store';
import { SimError } from './errors';

/** A move of a patient's PDS registration, as the control API reports it. */
export interface PdsRegistration {
  nhsNumber: string;
  /** The practice PDS names as the patient's registered GP. */
  ods: string;
  /** The practice that still holds the computed record. */
  holdingOds: string;
  /** True when a registration elsewhere moved PDS away from the holding practice. */
  moved: boolean;
}

/**
 * Which practice PDS names as a patient's registered GP. The computed estate registers every
 * patient at the practice that holds their record; when a patient registers at a new practice,
 * that practice updates PDS first and only then asks the old one to migrate the record (GPC
 * accessrecord_structured_development_migrate_patient_record.md, "Legitimate relationship").
 * A move lives in the store, so a reset undoes it and both nodes see it.
 */
export class PdsRegistrations {
  constructor(private readonly settings: SettingsRepository) {}

  async registeredOds(nhsNumber: string, holdingOds: string): Promise<string> {
    return (await this.settings.get<string>(key(nhsNumber))) ?? holdingOds;
  }

  async move(nhsNumber: string, ods: string, holdingOds: string): Promise<PdsRegistration> {
    await this.settings.put(key(nhsNumber), ods);
    return { nhsNumber, ods, holdingOds, moved: ods !== holdingOds };
  }
}

const key = (nhsNumber: string) => `pds-registration:${nhsNumber}`;

/**
 * Migrate is allowed only to the patient's new practice: the JWT's requesting_organization ODS
 * must be the registered practice on PDS, else 403 NO_RELATIONSHIP (GPC
 * accessrecord_structured_development_migrate_patient_record.md, error table).
 */
export function assertMigrationRelationship(nhsNumber: string, registeredOds: string, requestingOds: string): void {
  if (registeredOds.toUpperCase() === requestingOds.toUpperCase()) return;
  throw new SimError(
    'forbidden',
    `${requestingOds} is not the registered practice of patient ${nhsNumber} on PDS (${registeredOds}): register the patient there first (PUT /__sim/patients/${nhsNumber}/pds-registration), then migrate.`,
    { detail: { spineCode: 'NO_RELATIONSHIP' } },
  );
}
