import { EventEmitter } from 'node:events';
import { parseStoreChange } from '@gpsim/simulator/store/change-feed';
import type { StoreChange } from '@gpsim/simulator/store/change-feed';
import { ClusterChangeFeed, isClusterChangeMessage } from '@gpsim/simulator/store/cluster-change-feed';

describe('store changes between processes', () => {
  it('reads only the three changes it knows, with a reset keeping its seed', () => {
    expect(parseStoreChange({ kind: 'faults' })).toEqual({ kind: 'faults' });
    expect(parseStoreChange({ kind: 'clock', extra: 1 })).toEqual({ kind: 'clock' });
    expect(parseStoreChange({ kind: 'reset', seed: 'beta' })).toEqual({ kind: 'reset', seed: 'beta' });
    expect(parseStoreChange({ kind: 'reset', seed: 7 })).toEqual({ kind: 'reset' });
    expect(parseStoreChange({ kind: 'practice-settings', ods: 'Z99991' })).toEqual({
      kind: 'practice-settings',
      ods: 'Z99991',
    });
    expect(parseStoreChange({ kind: 'practice-settings', ods: 1 })).toEqual({ kind: 'practice-settings' });
    for (const junk of [null, 'faults', { kind: 'drop-tables' }, { kind: 1 }, []]) {
      expect(parseStoreChange(junk)).toBeUndefined();
    }
  });

  it('sends a worker change to the cluster primary and hands relayed ones to its listeners', async () => {
    const sent: unknown[] = [];
    const channel = Object.assign(new EventEmitter(), { send: (message: unknown) => sent.push(message) });
    const feed = new ClusterChangeFeed(channel as unknown as NodeJS.Process);
    const heard: StoreChange[] = [];
    feed.subscribe((change) => heard.push(change));

    await feed.publish({ kind: 'clock' });
    expect(sent).toEqual([{ gpsimStoreChange: { kind: 'clock' } }]);
    expect(sent.every(isClusterChangeMessage)).toBe(true);

    channel.emit('message', { gpsimStoreChange: { kind: 'reset', seed: 's' } });
    channel.emit('message', { somethingElse: true });
    expect(heard).toEqual([{ kind: 'reset', seed: 's' }]);

    await feed.close();
    channel.emit('message', { gpsimStoreChange: { kind: 'faults' } });
    expect(heard).toHaveLength(1);
  });
});
