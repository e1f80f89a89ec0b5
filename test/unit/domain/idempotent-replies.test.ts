import { IdempotentReplies } from '@gpsim/simulator/domain/idempotent-replies';
import type { SettingsRepository } from '@gpsim/simulator/store/store';

function memorySettings(): SettingsRepository {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => Promise.resolve(values.get(key) as T | undefined),
    put: (key: string, value: unknown) => {
      values.set(key, value);
      return Promise.resolve();
    },
    claim: <T>(key: string, value: T) => {
      if (!values.has(key)) values.set(key, value);
      return Promise.resolve(values.get(key) as T);
    },
  };
}

describe('IdempotentReplies (first result wins for retried partner writes)', () => {
  it('runs the work once for concurrent and later retries with the same key', async () => {
    const replies = new IdempotentReplies(memorySettings());
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return `result ${runs}`;
    };
    const results = await Promise.all([replies.once('k', work), replies.once('k', work), replies.once('k', work)]);
    expect(await replies.once('k', work)).toBe('result 1');
    expect(results).toEqual(['result 1', 'result 1', 'result 1']);
    expect(runs).toBe(1);
  });

  it('keeps keys apart and does not store a failure, so the retry runs again', async () => {
    const replies = new IdempotentReplies(memorySettings());
    await expect(replies.once('a', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await replies.once('a', () => Promise.resolve('second try'))).toBe('second try');
    expect(await replies.once('b', () => Promise.resolve('other'))).toBe('other');
  });
});
