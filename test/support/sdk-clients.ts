import type { control } from '@gpsim/contracts';
import type { ClientOptions, GpConnectClientOptions } from '@gpsim/client';
import { GpConnectClient, MeshClient } from '@gpsim/client';

type Practice = control.Manifest['practices'][number];

/** A fictitious consumer system, as a vendor would configure the SDK (GPC audit JWT example values). */
export const consumerIdentity = {
  issuer: 'https://consumersupplier.thirdparty.nhs.uk/',
  requestingPractitioner: {
    id: '10019',
    sdsUserId: '111222333444',
    sdsRoleProfileId: '444555666777',
    family: 'Jones',
    given: ['Claire'],
    prefix: ['Dr'],
  },
  requestingOrganization: { odsCode: 'A1001', name: 'Test Hospital' },
  requestingDevice: {
    identifier: { system: 'https://consumersupplier.com/Id/device-identifier', value: 'CONS-APP-4' },
    model: 'Consumer product name',
    version: '5.3.0',
  },
};

/** A GP Connect client for a practice of the manifest, as the first registered consumer. */
export function gpConnectClientFor(
  manifest: control.Manifest,
  practice: Practice,
  options: Partial<GpConnectClientOptions> & ClientOptions = {},
): GpConnectClient {
  return new GpConnectClient({
    ...consumerIdentity,
    serviceRoots: practice.serviceRoots,
    providerAsid: practice.asid,
    consumerAsid: manifest.consumers[0]?.asid ?? '',
    ...options,
  });
}

/** A MESH client for a mailbox of the manifest. */
export function meshClientFor(
  manifest: control.Manifest,
  mailbox: control.Manifest['mailboxes'][number],
  options: Partial<ConstructorParameters<typeof MeshClient>[0]> = {},
): MeshClient {
  return new MeshClient({
    baseUrl: manifest.mesh.baseUrl,
    mailboxId: mailbox.id,
    password: mailbox.password,
    sharedSecret: manifest.mesh.sharedSecret,
    ...options,
  });
}
