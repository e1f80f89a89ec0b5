import type { SimRequest, SimResponse } from './types';

/**
 * helmet's default response headers, written on every response gpsim sends. gpsim answers API
 * calls, not pages to frame or sniff, so the strict values cost nothing; the web console sets its
 * own Content-Security-Policy, which is kept. HSTS only when TLS is signalled (a proxy's
 * X-Forwarded-Proto: https or an https public URL): over plain HTTP the header is meaningless and
 * on localhost it would pin the browser to https for every local port.
 */
const alwaysHeaders: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

/** API answers load nothing; gpsim's own small pages (login, report) keep their inline styles. */
const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
const pageContentSecurityPolicy = "frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
const strictTransportSecurity = 'max-age=31536000; includeSubDomains';

export function withSecurityHeaders(request: SimRequest, response: SimResponse, behindTls: boolean): SimResponse {
  const headers: Record<string, string> = { ...alwaysHeaders, ...response.headers };
  const names = Object.keys(headers).map((name) => name.toLowerCase());
  if (!names.includes('content-security-policy')) {
    const type = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
    headers['Content-Security-Policy'] = type.startsWith('text/html')
      ? pageContentSecurityPolicy
      : apiContentSecurityPolicy;
  }
  if (behindTls || request.headers['x-forwarded-proto'] === 'https') {
    headers['Strict-Transport-Security'] = strictTransportSecurity;
  }
  return { ...response, headers };
}
