import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { control } from '@gpsim/contracts';
import Database from 'better-sqlite3';
import { requireBuiltCli, startCli } from '../support/cli';
import type { StartedCli } from '../support/cli';
import { MeshTestClient } from '../support/mesh-client';
import { createScratchDatabase } from '../support/postgres';
import type { ScratchDatabase } from '../support/postgres';

jest.setTimeout(120_000);

/** A gpsim store the crash test runs against: the --store value and what proves it is not half-written. */
interface StoreCase {
  name: string;
  /** The --store value, or undefined for a scratch PostgreSQL database of the test's own. */
  store?: string;
  /** Checks the store's own consistency after the crash and restart (dataDir holds an embedded store). */
  checkConsistent?: (dataDir: string) => void;
}

const storeCases: StoreCase[] = [
  {
    name: 'sqlite',
    store: 'sqlite',
    checkConsistent: (dataDir) => {
      const db = new Database(join(dataDir, 'gpsim.sqlite'), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
    },
  },
  { name: 'postgres' },
];

const SEND_WORKFLOW = 'GPFED_CONSULT_REPORT';
const START_ARGS = ['--port', '0', '--backup-port', 'none', '--tcp-port', 'none', '--patients-per-practice', '200'];

function urlOf(cli: StartedCli): string {
  const found = /listening on (http:\/\/[^\s]+) \(s11\)/.exec(cli.output());
  if (!found?.[1]) throw new Error(`no URL in the gpsim log:\n${cli.output()}`);
  return found[1];
}

interface Acknowledged {
  meshMessages: string[];
  bookings: { slotId: string; appointmentId: string }[];
  filings: string[];
  taskChanges: { id: string; version: number }[];
}

/** Runs the four kinds of write until `until` settles; keeps only what gpsim acknowledged. */
async function writeUntil(url: string, until: Promise<void>): Promise<Acknowledged> {
  const manifest = control.Manifest.parse(await (await fetch(`${url}/__sim/fixtures`)).json());
  const acknowledged: Acknowledged = { meshMessages: [], bookings: [], filings: [], taskChanges: [] };
  let running = true;
  void until.then(() => (running = false));

  const demoMailbox = manifest.mailboxes.find((mailbox) => mailbox.partner === 'gpsim-demo');
  const emisPractice = manifest.practices.find((practice) => practice.system === 'emis');
  const practiceMailbox = manifest.mailboxes.find((mailbox) => mailbox.ods === emisPractice?.ods);
  const partner = manifest.partners.find((candidate) => candidate.name === 'gpsim-demo');
  const patient = manifest.archetypes.find((a) => a.ods === emisPractice?.ods && a.key === 'standard')?.nhsNumber;
  if (!demoMailbox || !practiceMailbox || !partner || !emisPractice || !patient) throw new Error('estate lacks parts');
  const mesh = new MeshTestClient(manifest.mesh.baseUrl, demoMailbox, manifest.mesh.sharedSecret, () => new Date());
  const emis = async (method: string, body: Record<string, unknown>) =>
    (await (
      await fetch(`${url}/emis/partner-api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()) as { Outcome: string; Result?: Record<string, unknown> };
  const session = (
    await emis('InitializeWithID', {
      ClientId: partner.clientId,
      ClientSecret: partner.clientSecret,
      OrganisationId: emisPractice.ods,
    })
  ).Result?.['SessionId'] as string;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const sessions = await emis('GetAppointmentSessions', { SessionId: session, DateFrom: day(1), DateTo: day(7) });
  const slotIds = (
    (sessions.Result?.['Sessions'] as { Session: { Slots: { Slot: { SlotId: string }[] } }[] }).Session ?? []
  ).flatMap((entry) => entry.Slots.Slot.map((slot) => slot.SlotId));

  // A connection cut by the kill is simply not acknowledged; that is the point. The pause keeps a
  // writer with nothing left to do (or a refused connection) from starving the event loop.
  const ignoreCut = (work: () => Promise<void>) => async () => {
    while (running) {
      await work().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  await Promise.all([
    ignoreCut(async () => {
      const sent = await mesh.send(practiceMailbox.id, SEND_WORKFLOW, `crash test ${randomUUID()}`);
      if (sent.status === 202) acknowledged.meshMessages.push(sent.json.message_id as string);
    })(),
    ignoreCut(async () => {
      const slotId = slotIds.shift();
      if (slotId === undefined) return;
      const booked = await emis('BookAppointment', { SessionId: session, NhsNumber: patient, SlotId: slotId });
      if (booked.Outcome === 'Success') {
        acknowledged.bookings.push({ slotId, appointmentId: booked.Result?.['AppointmentId'] as string });
      }
    })(),
    ignoreCut(async () => {
      const filed = await emis('FileRecord', {
        SessionId: session,
        NhsNumber: patient,
        IdempotencyKey: randomUUID(),
        Consultation: { Narrative: { Line: ['Crash-safety review'] } },
      });
      if (filed.Outcome === 'Success') acknowledged.filings.push(filed.Result?.['FileRecordId'] as string);
    })(),
    ignoreCut(async () => {
      const created = await emis('CreateTask', { SessionId: session, NhsNumber: patient, Title: 'Crash-safety task' });
      const taskId = created.Result?.['TaskId'] as string | undefined;
      if (taskId === undefined) return;
      const task = (await (await fetch(`${url}/__sim/tasks/${taskId}`)).json()) as { version: number };
      const changed = await fetch(`${url}/__sim/tasks/${taskId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'start', version: task.version }),
      });
      if (changed.status === 200) {
        const body = (await changed.json()) as { version: number };
        acknowledged.taskChanges.push({ id: taskId, version: body.version });
      }
    })(),
  ]);
  return acknowledged;
}

describe.each(storeCases)('crash safety with the $name store', (storeCase) => {
  let dataDir: string;
  let scratch: ScratchDatabase | undefined;
  beforeAll(async () => {
    requireBuiltCli();
    dataDir = mkdtempSync(join(tmpdir(), 'gpsim-crash-'));
    if (storeCase.store === undefined) scratch = await createScratchDatabase();
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await scratch?.drop();
  });

  it('keeps every acknowledged write through a SIGKILL mid-stream, and nothing half-written', async () => {
    const store = storeCase.store ?? scratch?.url ?? 'memory';
    const args = [...START_ARGS, '--store', store, '--data-dir', dataDir, '--log-level', 'info'];
    const first = await startCli(args);
    let killed = false;
    let acknowledged: Acknowledged;
    try {
      const url = urlOf(first);
      let kill: () => void = () => undefined;
      const killedAt = new Promise<void>((resolve) => (kill = resolve));
      const writing = writeUntil(url, killedAt);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      first.process.kill('SIGKILL');
      killed = true;
      kill();
      acknowledged = await writing;
    } finally {
      if (!killed) first.process.kill('SIGKILL');
    }
    const counts = Object.fromEntries(Object.entries(acknowledged).map(([kind, done]) => [kind, done.length > 0]));
    expect(counts).toEqual({ meshMessages: true, bookings: true, filings: true, taskChanges: true });

    const second = await startCli(args);
    try {
      const url = urlOf(second);
      const manifest = control.Manifest.parse(await (await fetch(`${url}/__sim/fixtures`)).json());
      const demoMailbox = manifest.mailboxes.find((mailbox) => mailbox.partner === 'gpsim-demo');
      const emisPractice = manifest.practices.find((practice) => practice.system === 'emis');
      const partner = manifest.partners.find((candidate) => candidate.name === 'gpsim-demo');
      const other = manifest.archetypes.find((a) => a.ods === emisPractice?.ods && a.key === 'no-allergies');
      if (!demoMailbox || !emisPractice || !partner || !other) throw new Error('estate lacks parts');

      const mesh = new MeshTestClient(manifest.mesh.baseUrl, demoMailbox, manifest.mesh.sharedSecret, () => new Date());
      for (const id of acknowledged.meshMessages) {
        const tracked = await mesh.request<{ status?: string }>('GET', `/outbox/tracking?messageID=${id}`, {
          v2: true,
        });
        expect({ id, status: tracked.status }).toEqual({ id, status: 200 });
        expect(tracked.json.status).not.toBe('uploading');
      }

      for (const change of acknowledged.taskChanges) {
        const task = (await (await fetch(`${url}/__sim/tasks/${change.id}`)).json()) as {
          status: string;
          version: number;
        };
        expect(task.version).toBeGreaterThanOrEqual(change.version);
        expect(task.status).not.toBe('new');
      }

      const emis = async (method: string, body: Record<string, unknown>) =>
        (await (
          await fetch(`${url}/emis/partner-api/${method}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json()) as { Outcome: string; Result?: Record<string, unknown>; Error?: { Code: string } };
      const session = (
        await emis('InitializeWithID', {
          ClientId: partner.clientId,
          ClientSecret: partner.clientSecret,
          OrganisationId: emisPractice.ods,
        })
      ).Result?.['SessionId'] as string;
      for (const filing of acknowledged.filings) {
        const status = await emis('GetFileStatus', { SessionId: session, FileRecordId: filing });
        expect({ filing, status: status.Result?.['FileStatus'] }).toEqual({ filing, status: 'Filed' });
      }
      for (const booking of acknowledged.bookings) {
        // The acknowledged booking still holds its slot: booking it again for someone else is refused.
        const again = await emis('BookAppointment', {
          SessionId: session,
          NhsNumber: other.nhsNumber,
          SlotId: booking.slotId,
        });
        expect({ slot: booking.slotId, outcome: again.Outcome }).toEqual({ slot: booking.slotId, outcome: 'Failure' });
      }
    } finally {
      await second.stop('SIGTERM');
    }
    storeCase.checkConsistent?.(dataDir);
  });
});
