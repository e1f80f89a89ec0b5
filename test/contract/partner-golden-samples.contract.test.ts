import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { control, emis, systmone } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { parseXml, xmlToPlain } from '@gpsim/simulator/surfaces/shared/xml';
import { smallEstate, startTestGpsim } from '../support/gpsim';

const fixture = (path: string) => readFileSync(resolve(__dirname, '../../fixtures', path), 'utf8');
const plain = (xml: string) => xmlToPlain(parseXml(xml), { dropEmpty: false });
const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {{${name}}}`);
    return value;
  });

describe('partner API golden samples (fixtures/systmone, fixtures/emis)', () => {
  it.each([
    ['systmone/get-patient-record.response.xml', systmone.GetPatientRecordResponse],
    ['systmone/throttled.response.xml', systmone.ClientIntegrationError],
    ['emis/get-medical-record.response.xml', emis.success(emis.MedicalRecordResult)],
    ['emis/partner-not-activated.response.xml', emis.EmisError],
    ['systmone/get-tasks.response.xml', systmone.GetTasksResponse],
    ['emis/get-workflow-items.response.xml', emis.success(emis.WorkflowItemsResult)],
  ] as const)('%s matches its contract', (path, schema) => {
    schema.parse(plain(fixture(path)));
  });

  describe('against a running gpsim', () => {
    let gpsim: RunningGpsim;
    let manifest: control.Manifest;

    beforeAll(async () => {
      gpsim = await startTestGpsim(smallEstate);
      manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
    });
    afterAll(() => gpsim.close());

    const demo = () => manifest.partners.find((p) => p.name === 'gpsim-demo') as control.Manifest['partners'][number];
    const patientAt = (system: 'systmone' | 'emis') => {
      const ods = manifest.practices.find((p) => p.system === system)?.ods as string;
      return {
        ods,
        nhsNumber: manifest.archetypes.find((a) => a.ods === ods && a.key === 'standard')?.nhsNumber as string,
      };
    };
    const post = async (path: string, body: string) =>
      (
        await fetch(`${gpsim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body })
      ).text();

    it('answers the SystmOne samples with documents that match the contracts', async () => {
      const { ods, nhsNumber } = patientAt('systmone');
      const values = { APIKey: demo().apiKey, DeviceID: demo().deviceId, NhsNumber: nhsNumber };
      const request = fill(fixture('systmone/get-patient-record.request.xml'), { ...values, RequestUID: randomUUID() });
      systmone.ClientIntegrationRequest.parse(plain(request));
      const record = await post(`/systmone/${ods}/client-integration`, request);
      const parsed = systmone.GetPatientRecordResponse.parse(plain(record));
      expect(parsed.Response.Identity.NHSNumber).toBe(nhsNumber);
      const update = fill(fixture('systmone/update-patient-record.request.xml'), {
        ...values,
        RequestUID: randomUUID(),
      });
      const updated = plain(await post(`/systmone/${ods}/client-integration`, update)) as Record<string, unknown>;
      expect(updated['Error']).toBeUndefined();
      const tasks = fill(fixture('systmone/get-tasks.request.xml'), { ...values, RequestUID: randomUUID() });
      systmone.GetTasksResponse.parse(plain(await post(`/systmone/${ods}/client-integration`, tasks)));
    });

    it('answers the EMIS samples with documents that match the contracts', async () => {
      const { ods, nhsNumber } = patientAt('emis');
      const logon = fill(fixture('emis/initialize-with-id.request.xml'), {
        ClientId: demo().clientId,
        ClientSecret: demo().clientSecret,
        OrganisationId: ods,
      });
      const session = emis
        .success(emis.SessionResult)
        .parse(plain(await post('/emis/partner-api/InitializeWithID', logon)));
      const values = { SessionId: session.Result.SessionId, NhsNumber: nhsNumber, IdempotencyKey: randomUUID() };
      const record = await post(
        '/emis/partner-api/GetMedicalRecord',
        fill(fixture('emis/get-medical-record.request.xml'), values),
      );
      expect(
        emis.success(emis.MedicalRecordResult).parse(plain(record)).Result.MedicalRecord.Registration.NhsNumber,
      ).toBe(nhsNumber);
      const filed = await post('/emis/partner-api/FileRecord', fill(fixture('emis/file-record.request.xml'), values));
      expect(emis.success(emis.FileStatus).parse(plain(filed)).Result.FileStatus).toBe('Accepted');
      const items = await post(
        '/emis/partner-api/GetWorkflowItems',
        fill(fixture('emis/get-workflow-items.request.xml'), values),
      );
      emis.success(emis.WorkflowItemsResult).parse(plain(items));
    });
  });
});
