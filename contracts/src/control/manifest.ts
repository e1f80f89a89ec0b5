import { z } from 'zod';
import { ArchetypeKey, GpSystem, StaffRole } from './common';

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
});

export const Manifest = z.object({
  seed: z.string(),
  populationDate: z.string().describe('The date computed records run up to.'),
  nodes: z.array(z.object({ name: z.string(), url: z.url() })),
  endpoints: z.object({
    control: z.url(),
    fhirR4: z.url(),
    pds: z.url(),
    ssp: z
      .url()
      .describe(
        'Spine Secure Proxy emulation: prefix a full provider URL with it, e.g. {ssp}/{serviceRoots.gpconnect}/metadata.',
      ),
  }),
  practices: z.array(ManifestPractice),
  archetypes: z.array(ManifestArchetype),
  users: z.array(ManifestUser),
  consumers: z.array(z.object({ asid: z.string(), name: z.string(), ods: z.string() })),
});
export type Manifest = z.infer<typeof Manifest>;
