import { createHmac } from 'node:crypto';
import { SimError } from '@gpsim/simulator/domain/errors';
import { hmacMatches, parseAuthToken, tokenHmac, tokenTime } from '@gpsim/simulator/domain/mesh/auth-token';

/** NHSMESH token: mailbox:nonce:nonce_count:yyyyMMddHHmm:HMAC-SHA256 (MESH API spec, Authentication). */
describe('NHSMESH authorisation token', () => {
  const token = { mailbox: 'X26ABC1', nonce: 'abc', nonceCount: '1', timestamp: '202611220130' };

  it('signs mailbox:nonce:nonce_count:password:timestamp with the shared secret', () => {
    const expected = createHmac('sha256', 'secret').update('X26ABC1:abc:1:pw:202611220130').digest('hex');
    expect(tokenHmac('secret', token, 'pw')).toBe(expected);
  });

  it('parses the header and compares the HMAC case-insensitively', () => {
    const hmac = tokenHmac('secret', token, 'pw');
    const parsed = parseAuthToken(`NHSMESH X26ABC1:abc:1:202611220130:${hmac.toUpperCase()}`);
    expect(parsed).toMatchObject(token);
    expect(hmacMatches(hmac, parsed.hmac)).toBe(true);
    expect(hmacMatches(hmac, 'ab')).toBe(false);
  });

  it.each([
    '',
    'Basic abc',
    'NHSMESH X26ABC1:abc:1:2026112201:deadbeef',
    'NHSMESHX26ABC1:abc:1:202611220130:' + 'a'.repeat(64),
  ])('refuses the unreadable header %j as forbidden', (header) => {
    expect(() => parseAuthToken(header)).toThrow(SimError);
  });

  it('reads the token time as UTC', () => {
    expect(tokenTime('202611220130')).toBe(Date.parse('2026-11-22T01:30:00Z'));
    expect(tokenTime('202613220130')).toBeNaN();
  });
});
