import { captureExchange, maskBody, maskHeaders } from '@gpsim/simulator/control/exchange-detail';
import type { SimRequest } from '@gpsim/simulator/transport/types';

function request(headers: Record<string, string>, body: string): SimRequest {
  return {
    method: 'POST',
    path: '/oauth/token',
    query: new URLSearchParams(),
    headers,
    body: Buffer.from(body),
    params: {},
    node: 's11',
    remoteAddress: '127.0.0.1',
    traceId: 't',
    annotations: {},
  };
}

describe('journal request detail', () => {
  it('masks credentials in headers but keeps the Authorization scheme', () => {
    expect(
      maskHeaders({
        Authorization: 'Bearer eyJhbGciOi.secret',
        cookie: 'gpsim_admin=abc',
        'X-Gpsim-Admin-Token': 'abc',
        accept: 'application/json',
      }),
    ).toEqual({
      authorization: 'Bearer ••••••',
      cookie: '••••••',
      'x-gpsim-admin-token': '••••••',
      accept: 'application/json',
    });
  });

  it('masks OAuth tokens and secrets in JSON, form and XML bodies', () => {
    const json = maskBody('{"access_token":"abc.def","token_type":"Bearer","patient":"p1","refresh_token":"r"}');
    expect(json).toBe('{"access_token":"••••••","token_type":"Bearer","patient":"p1","refresh_token":"••••••"}');
    expect(maskBody('grant_type=authorization_code&code_verifier=xyz&client_secret=s3cret&client_id=app')).toBe(
      'grant_type=authorization_code&code_verifier=••••••&client_secret=••••••&client_id=app',
    );
    expect(maskBody('<Request><ApiKey>k-123</ApiKey><Function>GetPatientRecord</Function></Request>')).toBe(
      '<Request><ApiKey>••••••</ApiKey><Function>GetPatientRecord</Function></Request>',
    );
  });

  it('keeps text bodies up to 4 KiB and describes binary, encoded and streamed ones', () => {
    const long = 'x'.repeat(10_000);
    const detail = captureExchange(request({ 'content-type': 'text/plain' }, long), {
      status: 200,
      headers: { 'Content-Type': 'application/pdf' },
      body: Buffer.alloc(2048),
    });
    expect(detail.requestBody.startsWith('x'.repeat(4096))).toBe(true);
    expect(detail.requestBody).toContain('(10000 bytes in all)');
    expect(detail.responseBody).toBe('(2048 bytes of application/pdf)');
    const gzipped = captureExchange(request({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'zz'), {
      status: 204,
    });
    expect(gzipped.requestBody).toBe('(2 bytes, gzip encoded)');
    expect(gzipped.responseBody).toBe('');
  });
});
