import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { GpcCall, GpcReply, ManifestPractice, Resource } from '../support/gpconnect';
import { INTERACTION, appointmentFor, gpcClient, spineCode } from '../support/gpconnect';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import type { ScratchDatabase } from '../support/postgres';
import { createScratchDatabase } from '../support/postgres';

// Creating databases and starting processes is slow on a loaded shared machine.
jest.setTimeout(60_000);

/** How soon a change made through one replica must be in force on every other (LISTEN/NOTIFY). */
const PROPAGATION_MS = 100;

/** Polls `check` until it holds; returns how long that took, or throws after `withinMs`. */
async function within(withinMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > withinMs)
      throw new Error(`not in force on the other replica within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

interface Replica {
  gpsim: RunningGpsim;
  gpc: (call: GpcCall) => Promise<GpcReply>;
  patientId: string;
}

/**
 * Two gpsim replicas over one PostgreSQL database behave as one estate: what one writes the
 * other reads, unique keys decide races between them, and fault rules, the clock and a reset made
 * through one are in force on the other at once.
 */
describe('two replicas over one PostgreSQL store', () => {
  let database: ScratchDatabase;
  let a: Replica;
  let b: Replica;

  const replica = async (url: string): Promise<Replica> => {
    const gpsim = await startTestGpsim({ ...smallEstate, store: url });
    const manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    const practice = manifest.practices[0] as ManifestPractice;
    const standard = manifest.archetypes.find((found) => found.key === 'standard' && found.ods === practice.ods);
    return {
      gpsim,
      gpc: gpcClient(practice, (manifest.consumers[0] as { asid: string }).asid),
      patientId: gpsim.engine.population.byNhsNumber(standard?.nhsNumber ?? '')?.patient.id ?? '',
    };
  };

  beforeAll(async () => {
    database = await createScratchDatabase();
    a = await replica(database.url);
    b = await replica(database.url);
  });
  afterAll(async () => {
    await a?.gpsim.close();
    await b?.gpsim.close();
    await database?.drop();
  });
  // The reset reaches b through the change feed, not at once: the next test starts once b has it (its
  // clock runs again and it holds no rules), so it never reads with the last test's frozen clock.
  afterEach(async () => {
    await fetch(`${a.gpsim.url}/__sim/reset`, { method: 'POST', body: '{}' });
    await within(5_000, async () => !(await clockOf(b)).frozen && (await rules(b)).length === 0);
  });

  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const freeSlots = async (on: Replica): Promise<Resource[]> => {
    const reply = await on.gpc({
      path: `/Slot?status=free&start=ge${day(1)}&end=le${day(7)}&_include=Slot:schedule`,
      interaction: INTERACTION.searchSlots,
      scope: 'organization/*.read',
    });
    return ((reply.body['entry'] as { resource: Resource }[] | undefined) ?? [])
      .map((entry) => entry.resource)
      .filter((resource) => resource.resourceType === 'Slot');
  };
  const book = (on: Replica, slot: Resource) =>
    on.gpc({
      method: 'POST',
      path: '/Appointment',
      interaction: INTERACTION.bookAppointment,
      scope: 'patient/*.write',
      body: appointmentFor(slot, on.patientId),
    });
  const rules = async (on: Replica): Promise<control.FaultRuleView[]> =>
    ((await (await fetch(`${on.gpsim.url}/__sim/faults`)).json()) as { rules: control.FaultRuleView[] }).rules;
  const clockOf = async (on: Replica): Promise<control.ClockState> =>
    (await (await fetch(`${on.gpsim.url}/__sim/clock`)).json()) as control.ClockState;

  it('both report the shared store', async () => {
    const health = (await (await fetch(`${b.gpsim.url}/__sim/health`)).json()) as control.Health;
    expect(health.store).toBe('postgres');
  });

  it('a slot booked through one replica is taken on the other (409 DUPLICATE_REJECTED there)', async () => {
    const [slot] = await freeSlots(a);
    expect(slot).toBeDefined();
    expect((await book(a, slot as Resource)).status).toBe(201);
    const again = await book(b, slot as Resource);
    expect(again.status).toBe(409);
    expect(spineCode(again)).toBe('DUPLICATE_REJECTED');
    expect((await freeSlots(b)).map((free) => free.id)).not.toContain(slot?.id);
  });

  it('lets exactly one booker win a slot raced through both replicas', async () => {
    const [slot] = await freeSlots(b);
    const replies = await Promise.all([a, b, a, b].map((on) => book(on, slot as Resource)));
    expect(replies.map((reply) => reply.status).sort()).toEqual([201, 409, 409, 409]);
  });

  it(`a fault rule added through one replica applies on the other within ${PROPAGATION_MS} ms`, async () => {
    const added = await fetch(`${a.gpsim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ match: { surface: 'gpconnect' }, fault: { kind: 'status', status: 503 } }),
    });
    expect(added.status).toBe(201);
    await within(PROPAGATION_MS, async () => (await rules(b)).length === 1);
    expect((await freeSlots(b)).length).toBe(0);
    const faulted = await b.gpc({ path: '/metadata', interaction: INTERACTION.metadata });
    expect(faulted.status).toBe(503);

    await fetch(`${b.gpsim.url}/__sim/faults`, { method: 'DELETE' });
    await within(PROPAGATION_MS, async () => (await rules(a)).length === 0);
  });

  it(`the clock set on one replica is seen on the other within ${PROPAGATION_MS} ms`, async () => {
    const set = '2030-06-01T09:00:00.000Z';
    await fetch(`${a.gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ set, freeze: true }) });
    await within(PROPAGATION_MS, async () => (await clockOf(b)).now === set);
    expect(await clockOf(b)).toMatchObject({ now: set, frozen: true });
  });

  it(`practice settings patched through one replica apply on the other within ${PROPAGATION_MS} ms, though it keeps them in memory`, async () => {
    const readPatient = (on: Replica) =>
      on.gpc({ path: `/Patient/${on.patientId}`, interaction: INTERACTION.readPatient });
    // b reads (and so keeps) the practice's settings before a changes them.
    expect((await readPatient(b)).status).toBe(200);
    const ods = (b.gpsim.engine.population.practices[0] as { ods: string }).ods;
    const patched = await fetch(`${a.gpsim.url}/__sim/practices/${ods}`, {
      method: 'PATCH',
      body: JSON.stringify({ gpconnect: { foundations: false } }),
    });
    expect(patched.status).toBe(200);
    await within(PROPAGATION_MS, async () => (await readPatient(b)).status === 403);
  });

  it('journals the requests of both replicas in one journal and one client report', async () => {
    const traced = async (on: Replica, clientId: string) =>
      (await fetch(`${on.gpsim.url}/__sim/fixtures`, { headers: { 'X-Client-Id': clientId } })).status;
    expect(await traced(a, 'replica-test-a')).toBe(200);
    expect(await traced(b, 'replica-test-b')).toBe(200);
    const journal = async () =>
      (await (await fetch(`${a.gpsim.url}/__sim/journal?limit=1000`)).json()) as control.JournalPage;
    // Each replica writes its entries in batches every 50 ms.
    await within(1_000, async () => {
      const clients = new Set((await journal()).entries.map((entry) => entry.clientId));
      return clients.has('replica-test-a') && clients.has('replica-test-b');
    });
    const page = await journal();
    const seqs = page.entries.map((entry) => entry.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(page.lastSeq).toBeGreaterThanOrEqual(Math.max(...seqs));
  });

  it('a reset through one replica resets both: bookings, fault rules and clock', async () => {
    const [slot] = await freeSlots(a);
    expect((await book(a, slot as Resource)).status).toBe(201);
    await fetch(`${a.gpsim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ match: { surface: 'pds' }, fault: { kind: 'status', status: 500 } }),
    });
    await fetch(`${a.gpsim.url}/__sim/clock`, {
      method: 'POST',
      body: JSON.stringify({ set: '2031-01-01T00:00:00Z' }),
    });
    await within(PROPAGATION_MS, async () => (await rules(b)).length === 1);

    expect((await fetch(`${b.gpsim.url}/__sim/reset`, { method: 'POST', body: '{}' })).status).toBe(200);
    await within(PROPAGATION_MS, async () => (await rules(a)).length === 0);
    await within(PROPAGATION_MS, async () => !(await clockOf(a)).now.startsWith('2031'));
    expect((await freeSlots(a)).map((free) => free.id)).toContain(slot?.id);
    expect((await book(b, slot as Resource)).status).toBe(201);
  });
});
