import type { Practice } from '@gpsim/simulator/domain/estate';
import { PracticeSettingsService } from '@gpsim/simulator/domain/practice-settings';
import type { ChangeFeed, StoreChange } from '@gpsim/simulator/store/change-feed';
import type { SettingsRepository } from '@gpsim/simulator/store/store';

/** One settings table shared by two "processes", counting reads. */
function sharedSettings(): SettingsRepository & { reads: number } {
  const values = new Map<string, string>();
  return {
    reads: 0,
    get<T>(key: string) {
      this.reads++;
      const value = values.get(key);
      return Promise.resolve(value === undefined ? undefined : (JSON.parse(value) as T));
    },
    put: (key: string, value: unknown) => {
      values.set(key, JSON.stringify(value));
      return Promise.resolve();
    },
    claim: () => Promise.reject(new Error('not used')),
  };
}

function recordingFeed(): ChangeFeed & { published: StoreChange[] } {
  const published: StoreChange[] = [];
  return {
    published,
    publish: (change: StoreChange) => {
      published.push(change);
      return Promise.resolve();
    },
    subscribe: () => () => undefined,
    close: () => Promise.resolve(),
  };
}

const practice = { ods: 'Z99991' } as Practice;

describe('PracticeSettingsService (kept in memory per practice)', () => {
  it('reads a practice from the store once, then answers from memory', async () => {
    const settings = sharedSettings();
    const service = new PracticeSettingsService(settings, recordingFeed());
    expect((await service.get(practice)).gpconnect.enabled).toBe(true);
    await service.get(practice);
    await service.get(practice);
    expect(settings.reads).toBe(1);
  });

  it('answers with the patched settings at once and tells the other processes which practice changed', async () => {
    const feed = recordingFeed();
    const service = new PracticeSettingsService(sharedSettings(), feed);
    await service.get(practice);
    await service.patch(practice, { gpconnect: { structured: false } });
    expect((await service.get(practice)).gpconnect.structured).toBe(false);
    expect(feed.published).toEqual([{ kind: 'practice-settings', ods: 'Z99991' }]);
  });

  it("sees another process's patch once told of it (the change feed), and a reset's when told to forget all", async () => {
    const settings = sharedSettings();
    const here = new PracticeSettingsService(settings, recordingFeed());
    const there = new PracticeSettingsService(settings, recordingFeed());
    await here.get(practice);
    await there.patch(practice, { gpconnect: { enabled: false } });
    here.forget('Z99991');
    expect((await here.get(practice)).gpconnect.enabled).toBe(false);
    await settings.put('practice-settings:Z99991', {});
    here.forget();
    expect((await here.get(practice)).gpconnect.enabled).toBe(true);
  });

  it('does not keep what a read fetched while a patch was under way', async () => {
    const settings = sharedSettings();
    const service = new PracticeSettingsService(settings, recordingFeed());
    const reading = service.get(practice);
    await service.patch(practice, { deviceTrust: true });
    await reading;
    expect((await service.get(practice)).deviceTrust).toBe(true);
  });

  it('hands out settings that cannot be changed by accident', async () => {
    const service = new PracticeSettingsService(sharedSettings(), recordingFeed());
    const settings = await service.get(practice);
    expect(() => {
      settings.gpconnect.enabled = false;
    }).toThrow(TypeError);
  });
});
