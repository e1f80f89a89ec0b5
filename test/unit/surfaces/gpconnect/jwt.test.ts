import { SimError } from '@gpsim/simulator/domain/errors';
import { validateGpcToken } from '@gpsim/simulator/surfaces/gpconnect/jwt';
import { jwtClaims, unsignedJwt } from '../../../support/gpconnect';

/** The audit JWT rules (GPC integration_cross_organisation_audit_and_provenance.md; PT JWT.feature). */
describe('GP Connect audit JWT validation', () => {
  const now = 1_800_000_000;
  const bearer = (claims: Record<string, unknown>) => `Bearer ${unsignedJwt(claims)}`;

  it('accepts the spec example payload and reads who is asking', () => {
    const token = validateGpcToken(bearer(jwtClaims('patient/*.read', now)), now);
    expect(token).toMatchObject({
      sub: '10019',
      scope: 'patient/*.read',
      organization: { ods: 'A1001', name: 'Test Hospital' },
      practitioner: { id: '10019', name: 'Claire Jones', sdsUserId: '111222333444' },
    });
  });

  const refusals: [string, Record<string, unknown>, string][] = [
    ['exp - iat of 301', { ...jwtClaims('patient/*.read', now), exp: now + 301 }, 'invalid-request'],
    ['an expired token', jwtClaims('patient/*.read', now - 301), 'invalid-request'],
    [
      'scope "patient/*.read conf/X"',
      { ...jwtClaims('patient/*.read', now), requested_scope: 'patient/*.read conf/X' },
      'invalid-request',
    ],
    ['a Device that is an array', { ...jwtClaims('patient/*.read', now), requesting_device: [] }, 'invalid-resource'],
    ['iat as a fraction', { ...jwtClaims('patient/*.read', now), iat: now + 0.5, exp: now + 300.5 }, 'invalid-request'],
  ];
  it.each(refusals)('refuses %s', (_name, claims, code) => {
    let thrown: unknown;
    try {
      validateGpcToken(bearer(claims), now);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SimError);
    expect((thrown as SimError).code).toBe(code);
  });

  it('accepts a token whose iat is in the future (GitHub nhsconnect/gpconnect #188)', () => {
    expect(() => validateGpcToken(bearer(jwtClaims('patient/*.read', now + 200)), now)).not.toThrow();
  });

  it('refuses a token it accepted before once the simulated clock passes its exp (spec: exp = iat + 300)', () => {
    const header = bearer(jwtClaims('patient/*.read', now));
    expect(validateGpcToken(header, now).exp).toBe(now + 300);
    expect(() => validateGpcToken(header, now + 300)).not.toThrow();
    expect(() => validateGpcToken(header, now + 301)).toThrow(/expired/);
    // Time travel back: the same token is good again.
    expect(validateGpcToken(header, now).sub).toBe('10019');
  });

  it('refuses an oversized token before decoding it', () => {
    expect(() => validateGpcToken(`Bearer ${'a'.repeat(20_000)}.b.`, now)).toThrow(SimError);
  });
});
