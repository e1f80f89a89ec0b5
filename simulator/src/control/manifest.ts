import type { control } from '@gpsim/contracts';
import { archetypeDescriptions, archetypeKeys } from '../domain/archetypes';
import { partnerCredentials } from '../domain/partners';
import type { Engine } from '../engine';

/** The GP Connect service roots of a practice (routing segments as the specification suggests). */
export function serviceRoots(baseUrl: string, ods: string): control.Manifest['practices'][number]['serviceRoots'] {
  const root = `${baseUrl}/${ods}/STU3/1/gpconnect`;
  return { gpconnect: root, structured: `${root}/structured`, documents: `${root}/documents` };
}

/**
 * Practices whose archetypes and users one manifest lists. Larger estates are paged, so the manifest
 * never computes every practice's staff and archetype patients (6,301 practices would make 51 MB).
 */
export const MANIFEST_PAGE_PRACTICES = 100;

export interface ManifestPageRequest {
  offset: number;
  limit: number;
}

/** GET /__sim/fixtures: everything a client or test needs to know about the estate. */
export async function buildManifest(
  engine: Engine,
  request: ManifestPageRequest = { offset: 0, limit: MANIFEST_PAGE_PRACTICES },
): Promise<control.Manifest> {
  const { population } = engine;
  const baseUrl = engine.baseUrl;
  const estate = population.estate;
  const total = population.practices.length;
  const paged = population.practices.slice(request.offset, request.offset + request.limit);
  const nextOffset = request.offset + request.limit;
  const page: control.Manifest['page'] =
    request.offset === 0 && nextOffset >= total
      ? undefined
      : {
          ...request,
          practices: total,
          ...(nextOffset < total
            ? { next: `${baseUrl}/__sim/fixtures?offset=${nextOffset}&limit=${request.limit}` }
            : {}),
        };
  const settings = await Promise.all(population.practices.map((practice) => engine.practiceSettings.get(practice)));
  const partners = partnerCredentials(estate.spec.seed).map((partner) => ({
    ...partner,
    enabledAt: population.practices
      .filter((_, index) => settings[index]?.partners[partner.name]?.enabled === true)
      .map((practice) => practice.ods),
  }));
  return {
    seed: estate.spec.seed,
    populationDate: estate.spec.populationDate,
    nodes: engine.nodes.map((node) => ({ name: node.name, url: node.url })),
    endpoints: {
      control: `${baseUrl}/__sim`,
      fhirR4: `${baseUrl}/fhir/R4`,
      pds: `${baseUrl}/spine/pds/FHIR/R4`,
      systmOne: `${baseUrl}/systmone`,
      systmOneTcpPort: engine.systmOneTcpPort ?? null,
      emis: `${baseUrl}/emis/partner-api`,

      oauth: `${baseUrl}/oauth`,
      smartConfiguration: `${baseUrl}/fhir/R4/.well-known/smart-configuration`,

      ssp: `${baseUrl}/ssp`,
    },
    practices: population.practices.map((practice) => ({
      ods: practice.ods,
      name: practice.name,
      system: practice.system,
      asid: practice.asid,
      partyKey: practice.partyKey,
      listSize: practice.listSize,
      address: practice.address,
      phone: practice.phone,
      locations: practice.locations.map((location) => ({
        id: location.id,
        siteCode: location.siteCode,
        name: location.name,
        main: location.main,
      })),
      serviceRoots: serviceRoots(baseUrl, practice.ods),
    })),
    archetypes: paged.flatMap((practice) =>
      archetypeKeys.map((key, index) => {
        const patient = population.patientAt(practice, index);
        if (!patient) throw new Error(`practice ${practice.ods} has no archetype ${key}`);
        return {
          key,
          ods: practice.ods,
          nhsNumber: patient.nhsNumber,
          description: archetypeDescriptions[key],
          name: `${patient.name.given.join(' ')} ${patient.name.family}`,
          birthDate: patient.birthDate,
          ...(patient.supersededNhsNumbers.length > 0 ? { supersededNhsNumbers: patient.supersededNhsNumbers } : {}),
        };
      }),
    ),
    users: paged.flatMap((practice) =>
      practice.staff.map((member) => {
        // Multi-site staff appear in each practice's list under one username.
        const otherRoles = population.estate.staff
          .rolesOf(member.username)
          .filter((role) => role.sdsRoleProfileId !== member.sdsRoleProfileId)
          .map((role) => ({ ods: role.ods, role: role.role, sdsRoleProfileId: role.sdsRoleProfileId }));
        return {
          username: member.username,
          role: member.role,
          ods: practice.ods,
          name: `${member.prefix} ${member.given} ${member.family}`,
          sdsUserId: member.sdsUserId,
          sdsRoleProfileId: member.sdsRoleProfileId,
          jobRole: member.jobRole,
          accessRole: member.accessRole,
          ...(member.email ? { email: member.email } : {}),
          ...(otherRoles.length > 0 ? { otherRoles } : {}),
        };
      }),
    ),
    ...(page ? { page } : {}),
    consumers: estate.consumers.map((consumer) => ({ ...consumer })),
    mesh: { baseUrl: `${baseUrl}/mesh`, sharedSecret: engine.mesh.directory.sharedSecret },
    mailboxes: engine.mesh.directory.mailboxes.map((mailbox) => ({
      ...mailbox,
      workflows: { send: [...mailbox.workflows.send], receive: [...mailbox.workflows.receive] },
    })),

    partners,

    clients: engine.auth.clients(),
  };
}
