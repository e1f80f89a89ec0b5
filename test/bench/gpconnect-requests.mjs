// GP Connect requests for benchmarks: the SSP headers and an unsigned audit JWT (GPC accepts alg none
// from consumers in the sandbox), built from the manifest so no bench hard-codes the estate.

const PREFIX = 'urn:nhs:names:services:gpconnect';
export const interactions = {
  searchPatient: `${PREFIX}:fhir:rest:search:patient-1`,
  searchSlots: `${PREFIX}:fhir:rest:search:slot-1`,
  bookAppointment: `${PREFIX}:fhir:rest:create:appointment-1`,
  patientAppointments: `${PREFIX}:fhir:rest:search:patient_appointments-1`,
  readPatient: `${PREFIX}:fhir:rest:read:patient-1`,
  getStructuredRecord: `${PREFIX}:fhir:operation:gpc.getstructuredrecord-1`,
};

/** Headers for one interaction against a practice's service root; one token serves a whole run (valid 300 s). */
export function gpcHeaders(manifest, practice, serviceRoot, interaction, scope = 'patient/*.read') {
  const nowS = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'https://bench.example/',
    sub: '1',
    aud: serviceRoot,
    exp: nowS + 300,
    iat: nowS,
    reason_for_request: 'directcare',
    requested_scope: scope,
    requesting_device: {
      resourceType: 'Device',
      identifier: [{ system: 'https://bench.example/device', value: '1' }],
      model: 'bench',
      version: '1',
    },
    requesting_organization: {
      resourceType: 'Organization',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: manifest.consumers[0].ods }],
      name: 'Bench',
    },
    requesting_practitioner: {
      resourceType: 'Practitioner',
      id: '1',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/sds-user-id', value: 'UNK' }],
      name: [{ family: 'Bench', given: ['Ada'] }],
    },
  };
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    accept: 'application/fhir+json',
    'content-type': 'application/fhir+json;charset=utf-8',
    'ssp-traceid': '629ea9ba-a077-4d99-b289-7a9b19fd4e03',
    'ssp-from': manifest.consumers[0].asid,
    'ssp-to': practice.asid,
    'ssp-interactionid': interaction,
    authorization: `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`,
  };
}

/** The $gpc.getstructuredrecord body asking for every clinical area of one patient. */
export function structuredRecordBody(nhsNumber) {
  const area = (name, parts) => (parts ? { name, part: parts } : { name });
  return JSON.stringify({
    resourceType: 'Parameters',
    parameter: [
      { name: 'patientNHSNumber', valueIdentifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber } },
      area('includeAllergies', [{ name: 'includeResolvedAllergies', valueBoolean: true }]),
      area('includeMedication'),
      area('includeProblems'),
      area('includeImmunisations'),
      area('includeUncategorisedData'),
      area('includeInvestigations'),
      area('includeReferrals'),
      area('includeDiaryEntries'),
    ],
  });
}

/**
 * Autocannon targets for an archetype patient's GP Connect read and structured record, and the
 * exact bytes gpsim answers each with (what the static stubs of other mock servers serve).
 */
export async function gpcTargets(base, archetypeKey) {
  const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
  const archetype = manifest.archetypes.find((candidate) => candidate.key === archetypeKey);
  const practice = manifest.practices.find((candidate) => candidate.ods === archetype.ods);
  const foundations = practice.serviceRoots.gpconnect;
  const searchUrl = `${foundations}/Patient?identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${archetype.nhsNumber}`)}`;
  const search = await fetch(searchUrl, {
    headers: gpcHeaders(manifest, practice, foundations, interactions.searchPatient),
  });
  if (!search.ok) throw new Error(`bench: GP Connect patient search answered ${search.status}`);
  const id = (await search.json()).entry[0].resource.id;
  const patientRead = {
    url: `${foundations}/Patient/${id}`,
    method: 'GET',
    headers: gpcHeaders(manifest, practice, foundations, interactions.readPatient),
  };
  const structured = practice.serviceRoots.structured;
  const structuredRecord = {
    url: `${structured}/Patient/$gpc.getstructuredrecord`,
    method: 'POST',
    headers: gpcHeaders(manifest, practice, structured, interactions.getStructuredRecord),
    body: structuredRecordBody(archetype.nhsNumber),
  };
  const bytesOf = async (target) => {
    const response = await fetch(target.url, { method: target.method, headers: target.headers, body: target.body });
    if (!response.ok) throw new Error(`bench: ${target.method} ${target.url} answered ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  };
  return {
    patientRead: { ...patientRead, bytes: await bytesOf(patientRead) },
    structuredRecord: { ...structuredRecord, bytes: await bytesOf(structuredRecord) },
  };
}
