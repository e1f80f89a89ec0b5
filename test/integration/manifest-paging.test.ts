import { control } from '@gpsim/contracts';
import { GpsimControl } from '@gpsim/client';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { startTestGpsim } from '../support/gpsim';

// Large estates page the manifest's archetypes and users by practice, so GET /__sim/fixtures never
// computes every practice's staff and archetype patients; every practice is still listed.
describe('the manifest of an estate larger than one page', () => {
  let gpsim: RunningGpsim;
  const fixtures = async (query = ''): Promise<control.Manifest> =>
    control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures${query}`)).json());

  beforeAll(async () => {
    gpsim = await startTestGpsim({ practices: 150, patientsPerPractice: 20 });
  });
  afterAll(() => gpsim.close());

  it('lists every practice, and the archetypes and users of the first page of practices', async () => {
    const manifest = await fixtures();
    expect(manifest.practices).toHaveLength(151);
    const limit = manifest.page?.limit ?? 0;
    expect(limit).toBeGreaterThan(0);
    expect(limit).toBeLessThan(151);
    expect(manifest.page).toEqual({
      offset: 0,
      limit,
      practices: 151,
      next: `${gpsim.url}/__sim/fixtures?offset=${limit}&limit=${limit}`,
    });
    const onPage = manifest.practices.slice(0, limit).map((practice) => practice.ods);
    expect([...new Set(manifest.users.map((user) => user.ods))]).toEqual(onPage);
    expect([...new Set(manifest.archetypes.map((archetype) => archetype.ods))]).toEqual(onPage);
  });

  it('pages through to the end, together giving what one page of the whole estate gives', async () => {
    const pages: control.Manifest[] = [await fixtures()];
    for (let next = pages[0]?.page?.next; next !== undefined; next = pages.at(-1)?.page?.next) {
      pages.push(control.Manifest.parse(await (await fetch(next)).json()));
    }
    expect(pages.length).toBeGreaterThan(1);
    const whole = await new GpsimControl({ baseUrl: gpsim.url }).fixtures({ limit: 151 });
    expect(whole.page).toBeUndefined();
    expect(pages.flatMap((page) => page.users)).toEqual(whole.users);
    expect(pages.flatMap((page) => page.archetypes)).toEqual(whole.archetypes);
  });

  it('names the other practices of multi-site staff even when those practices are on another page', async () => {
    const manifest = await fixtures('?offset=0&limit=1');
    const shared = manifest.users.filter((user) => user.otherRoles !== undefined);
    // The first practice's last GP also works at the second practice, which this page leaves out.
    expect(shared.map((user) => user.otherRoles?.map((role) => role.ods))).toContainEqual([manifest.practices[1]?.ods]);
  });

  it('refuses pages outside the estate', async () => {
    expect((await fetch(`${gpsim.url}/__sim/fixtures?offset=151`)).status).toBe(400);
    expect((await fetch(`${gpsim.url}/__sim/fixtures?limit=0`)).status).toBe(400);
  });
});
