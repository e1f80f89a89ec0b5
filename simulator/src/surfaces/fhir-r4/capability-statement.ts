export interface SearchParamDoc {
  name: string;
  type: 'token' | 'string' | 'date' | 'reference' | 'number';
  documentation: string;
}

/** What the server does with one resource type: read, and search with these parameters. */
export interface ResourceCapability {
  type: string;
  profile: string;
  searchParams: readonly SearchParamDoc[];
}

export interface CapabilityInput {
  baseUrl: string;
  version: string;
  /** The statement's date: the estate's population date, so the statement is reproducible. */
  date: string;
  resources: readonly ResourceCapability[];
}

const pagingParams: readonly SearchParamDoc[] = [
  {
    name: '_count',
    type: 'number',
    documentation: 'Page size: 50 unless given, at most 500 (larger values are capped); 0 returns the total only.',
  },
  {
    name: '_offset',
    type: 'number',
    documentation: 'Where the page starts; Bundle.link "next" carries it, so follow the links rather than building it.',
  },
];

/** The CapabilityStatement of the UK Core R4 face: exactly the interactions and parameters served. */
export function buildCapabilityStatement(input: CapabilityInput): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: input.date,
    publisher: 'gpsim',
    kind: 'instance',
    software: { name: 'gpsim', version: input.version },
    implementation: {
      description: 'gpsim UK Core R4 read API over the simulated GP estate (fictitious patients only)',
      url: input.baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Read-only. Unknown search parameters are ignored; malformed known ones are rejected with an OperationOutcome. Patients with the sensitive flag and record entries marked confidential are never returned.',
        resource: input.resources.map((resource) => ({
          type: resource.type,
          profile: resource.profile,
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: resource.searchParams,
        })),
        searchParam: pagingParams,
      },
    ],
  };
}
