import { z } from 'zod';
import { ArchetypeKey, GpSystem, StaffRole } from './common';
import { OAuthClient } from './launch';

/**
 * The estate manifest served at GET /__sim/fixtures: the one place clients and tests learn the
 * estate. Fields may be added; the documented ones are never renamed.
 */
export const ServiceRoots = z.object({
  gpconnect: z.url().describe('GP Connect Foundations and Appointment Management service root.'),
  structured: z.url().describe('GP Connect Access Record Structured service root.'),
  documents: z.url().describe('GP Connect Access Document service root.'),
});

export const ManifestPractice = z.object({
  ods: z.string(),
  name: z.string(),
  system: GpSystem,
  asid: z.string().regex(/^\d{12}$/),
  partyKey: z.string(),
  listSize: z.number().int().positive(),
  address: z.object({
    line: z.array(z.string()),
    city: z.string(),
    district: z.string().optional(),
    postalCode: z.string(),
  }),
  phone: z.string(),
  locations: z.array(z.object({ id: z.string(), siteCode: z.string(), name: z.string(), main: z.boolean() })),
  serviceRoots: ServiceRoots,
});

export const ManifestArchetype = z.object({
  key: ArchetypeKey,
  ods: z.string(),
  nhsNumber: z.string().regex(/^\d{10}$/),
  description: z.string(),
  name: z.string(),
  birthDate: z.string(),
  supersededNhsNumbers: z.array(z.string()).optional(),
});

export const ManifestUser = z.object({
  username: z.string(),
  role: StaffRole,
  ods: z.string(),
  name: z.string(),
  sdsUserId: z.string(),
  sdsRoleProfileId: z.string(),
  jobRole: z.object({ code: z.string(), display: z.string() }),
  accessRole: z.object({ code: z.string(), display: z.string() }),
  email: z.string().optional(),
  otherRoles: z
    .array(z.object({ ods: z.string(), role: StaffRole, sdsRoleProfileId: z.string() }))
    .optional()
    .describe(
      'Multi-site staff: the roles the same person (same username) holds at other practices; CIS2 login asks them to pick one (selected_roleid).',
    ),
});

export const ManifestMailbox = z.object({
  id: z.string().describe('MESH mailbox id (upper case), as used in the URL path and the NHSMESH header.'),
  password: z.string().describe('Mailbox password: part of the NHSMESH HMAC message.'),
  ods: z.string().optional().describe('The practice this mailbox belongs to, for practice mailboxes.'),
  partner: z.string().optional().describe('The partner this mailbox belongs to, for partner mailboxes.'),
  workflows: z.object({
    send: z.array(z.string()).describe('Workflow ids this mailbox may send.'),
    receive: z.array(z.string()).describe('Workflow ids this mailbox may receive.'),
  }),
});

export const ManifestMesh = z.object({
  baseUrl: z.url().describe('MESH API root: {baseUrl}/messageexchange/{mailbox}/...'),
  sharedSecret: z.string().describe('Environment shared secret: the key of the NHSMESH HMAC-SHA256.'),
});

export const ManifestPartner = z.object({
  name: z.string(),
  description: z.string(),
  apiKey: z.string().describe('SystmOne Client Integration APIKey (fictitious, derived from the seed).'),
  deviceId: z.string().describe('SystmOne Client Integration DeviceID registered for this partner.'),
  clientId: z.string(),
  clientSecret: z.string(),
  enabledAt: z.array(z.string()).describe('ODS codes of the practices that have authorised this partner.'),
});

export const ManifestPage = z
  .object({
    offset: z.number().int().min(0).describe('Position in `practices` of the first practice the page covers.'),
    limit: z.number().int().min(1).describe('How many practices the page covers at most.'),
    practices: z.number().int().min(1).describe('Practices in the estate (all listed in `practices`).'),
    next: z.url().optional().describe('The next page, while practices remain.'),
  })
  .describe(
    'Present only when the estate has more practices than one page holds: `archetypes` and `users` then cover the practices at positions offset to offset+limit-1 of `practices`; ask GET /__sim/fixtures?offset=&limit= for others.',
  );

export const Manifest = z.object({
  seed: z.string(),
  populationDate: z.string().describe('The date computed records run up to.'),
  nodes: z.array(z.object({ name: z.string(), url: z.url() })),
  endpoints: z.object({
    control: z.url(),
    fhirR4: z.url(),
    pds: z.url(),
    systmOne: z.url().describe('SystmOne Client Integration over HTTP: POST {systmOne}/{ODS}/client-integration.'),
    systmOneTcpPort: z
      .number()
      .int()
      .nullable()
      .describe('SystmOne Client Integration TCP port on the same host; null when the listener is off.'),
    emis: z.url().describe('EMIS partner API: POST {emis}/{Method}.'),

    oauth: z.url(),
    smartConfiguration: z.url(),

    ssp: z
      .url()
      .describe(
        'Spine Secure Proxy emulation: prefix a full provider URL with it, e.g. {ssp}/{serviceRoots.gpconnect}/metadata.',
      ),
  }),
  practices: z.array(ManifestPractice),
  archetypes: z.array(ManifestArchetype),
  users: z.array(ManifestUser),
  page: ManifestPage.optional(),
  consumers: z.array(z.object({ asid: z.string(), name: z.string(), ods: z.string() })),
  mesh: ManifestMesh,
  mailboxes: z.array(ManifestMailbox),

  partners: z.array(ManifestPartner),

  clients: z.array(OAuthClient).describe('Apps registered with the authorisation server (SMART clients).'),
});
export type Manifest = z.infer<typeof Manifest>;
