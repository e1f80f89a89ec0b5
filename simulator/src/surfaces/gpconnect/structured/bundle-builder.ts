import type { Concept, EntryBase, RecordDocument } from '../../../domain/clinical-record';
import type { Practice } from '../../../domain/estate';
import type { Patient } from '../../../domain/patient';
import type { Population } from '../../../population/population';
import { toGpcLocation, toGpcPractitioner, toGpcPractitionerRole } from '../directory-mappers';
import { toGpcAuthorOrganization, toGpcDocumentReference } from '../documents/document-reference-mapper';
import type { Resource } from '../stu3';
import { SNOMED, dataIdentifierSystem } from '../stu3';
import type { DateRange } from './parameters';

/**
 * Collects the resources of one structured-record Bundle: each resource once, and every
 * Practitioner/PractitionerRole a clinical item references, so references always resolve.
 */
export class BundleBuilder {
  private readonly resources = new Map<string, Resource>();
  // Thousands of items share a handful of clinicians: map each once.
  private readonly recorders = new Map<number, { reference: string } | undefined>();
  private readonly performers = new Map<number, { reference: string } | undefined>();

  constructor(
    readonly population: Population,
    readonly patient: Patient,
    readonly practice: Practice,
    /** The practice's Access Document root, for the Binary URL of a DocumentReference. */
    private readonly documentsRoot: string,
  ) {}

  add(resource: Resource): void {
    this.resources.set(`${resource.resourceType}/${resource.id ?? ''}`, resource);
  }

  /** A reference to the recorder's PractitionerRole (adding Practitioner and role to the Bundle). */
  recorder(staffIndex: number): { reference: string } | undefined {
    if (this.recorders.has(staffIndex)) return this.recorders.get(staffIndex);
    const reference = this.mapRecorder(staffIndex);
    this.recorders.set(staffIndex, reference);
    return reference;
  }

  performer(staffIndex: number): { reference: string } | undefined {
    if (this.performers.has(staffIndex)) return this.performers.get(staffIndex);
    const reference = this.mapPerformer(staffIndex);
    this.performers.set(staffIndex, reference);
    return reference;
  }

  private mapRecorder(staffIndex: number): { reference: string } | undefined {
    const member = this.practice.staff[staffIndex];
    if (!member) return undefined;
    const role = toGpcPractitionerRole(this.population, this.practice, member);
    this.add(toGpcPractitioner(member));
    this.add(role);
    return { reference: `PractitionerRole/${role.id ?? ''}` };
  }

  private mapPerformer(staffIndex: number): { reference: string } | undefined {
    const member = this.practice.staff[staffIndex];
    if (!member) return undefined;
    this.add(toGpcPractitioner(member));
    return { reference: `Practitioner/${member.id}` };
  }

  /** A reference to a practice site (adding its Location to the Bundle, so the reference resolves). */
  location(locationIndex: number): { reference: string; display: string } | undefined {
    const site = this.practice.locations[locationIndex];
    if (!site) return undefined;
    this.add(toGpcLocation(this.population, this.practice, site));
    return { reference: `Location/${site.id}`, display: site.name };
  }

  /** A reference to a document's metadata (adding the DocumentReference and its author Organization). */
  documentReference(document: RecordDocument): { reference: string } {
    this.add(toGpcAuthorOrganization(document.author));
    this.add(toGpcDocumentReference(this.population, this.practice, this.patient, document, this.documentsRoot));
    return { reference: `DocumentReference/${document.id}` };
  }

  /**
   * A reference to the service an organisation provides (adding a CareConnect-HealthcareService-1
   * and the providing Organization), as a referral's recipient.
   */
  healthcareService(provider: { ods: string; name: string }, service: string): { reference: string; display: string } {
    const organization = toGpcAuthorOrganization(provider);
    const id = `${provider.ods}-${service
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')}`;
    this.add(organization);
    this.add({
      resourceType: 'HealthcareService',
      id,
      meta: { profile: ['https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-HealthcareService-1'] },
      providedBy: { reference: `Organization/${organization.id ?? ''}`, display: provider.name },
      name: service,
    });
    return { reference: `HealthcareService/${id}`, display: service };
  }

  get subject() {
    return { reference: `Patient/${this.patient.id}` };
  }

  identifier(entry: EntryBase) {
    return [{ system: dataIdentifierSystem(this.practice), value: entry.id }];
  }

  all(): Resource[] {
    return [...this.resources.values()];
  }
}

export function codeable(concept: Concept) {
  return { coding: [{ system: SNOMED, code: concept.code, display: concept.display }], text: concept.display };
}

/** A record date as FHIR dateTime: partial dates ("1998", "1998-04") stay partial. */
export function fhirDate(date: string): string {
  return date;
}

/**
 * Whether an entry's date falls in a search period. Partial dates compare as whole year/month
 * intervals and overlap counts (GPC retrieve_patient_record: partial dates are returned when the
 * period they denote meets the search).
 */
export function inRange(date: string, range: DateRange | undefined): boolean {
  if (!range) return true;
  const day = date.slice(0, 10);
  const first = day.length === 4 ? `${day}-01-01` : day.length === 7 ? `${day}-01` : day;
  const last = day.length === 4 ? `${day}-12-31` : day.length === 7 ? `${day}-31` : day;
  if (range.start !== undefined && last < range.start) return false;
  if (range.end !== undefined && first > range.end) return false;
  return true;
}
