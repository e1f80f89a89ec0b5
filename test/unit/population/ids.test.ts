import { IdCodec, idKinds } from '@gpsim/simulator/population/ids';

describe('logical ids', () => {
  const codec = new IdCodec('gpsim');

  it('look like version 4 UUIDs', () => {
    expect(codec.encode('patient', 12345, 0)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('decode back to the kind, owner and position that minted them', () => {
    for (const kind of idKinds) {
      for (const [owner, n] of [
        [0, 0],
        [139_999, 4_000],
        [4_294_967_295, 67_108_863],
      ] as const) {
        expect(codec.decode(codec.encode(kind, owner, n))).toEqual({ kind, owner, n });
      }
    }
  });

  it('are distinct for distinct inputs', () => {
    const seen = new Set<string>();
    for (let owner = 0; owner < 200; owner++)
      for (let n = 0; n < 50; n++) seen.add(codec.encode('observation', owner, n));
    expect(seen.size).toBe(200 * 50);
  });

  it('reject ids this estate never issued: random UUIDs, altered ids, other seeds', () => {
    expect(codec.decode('6f1c2b7e-3a4d-4e5f-8a9b-0c1d2e3f4a5b')).toBeUndefined();
    const id = codec.encode('patient', 42, 0);
    const altered = id.slice(0, 30) + (id[30] === '0' ? '1' : '0') + id.slice(31);
    expect(codec.decode(altered)).toBeUndefined();
    expect(new IdCodec('other').decode(id)).toBeUndefined();
    expect(codec.decode('not-a-uuid')).toBeUndefined();
  });
});
