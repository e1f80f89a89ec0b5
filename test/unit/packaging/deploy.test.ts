import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  image?: string;
  build?: { context: string };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
}

/**
 * No Docker engine runs on these machines, so the replica deployment example is checked
 * statically: two gpsim replicas over one PostgreSQL behind a load balancer whose configuration
 * names every replica.
 */
describe('docs/deploy docker-compose example', () => {
  const root = join(__dirname, '..', '..', '..');
  const folder = join(root, 'docs', 'deploy');
  const compose = parse(readFileSync(join(folder, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const services = compose.services;
  const replicas = Object.entries(services).filter(([, service]) => service.build !== undefined);
  const nginx = readFileSync(join(folder, 'nginx.conf'), 'utf8');

  it('runs PostgreSQL with a health check the replicas wait for', () => {
    expect(services['postgres']?.image).toMatch(/^postgres:\d+/);
    expect(services['postgres']?.healthcheck?.test.join(' ')).toContain('pg_isready');
    for (const [, replica] of replicas) {
      expect(replica.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    }
  });

  it('runs at least two gpsim replicas built from the repository Dockerfile, all on the one database', () => {
    expect(replicas.length).toBeGreaterThanOrEqual(2);
    const stores = new Set(replicas.map(([, replica]) => replica.environment?.['GPSIM_STORE']));
    expect(stores.size).toBe(1);
    const store = new URL([...stores][0] ?? '');
    expect(store.protocol).toBe('postgres:');
    expect(store.hostname).toBe('postgres');
    for (const [, replica] of replicas) {
      expect(existsSync(join(folder, replica.build?.context ?? '', 'Dockerfile'))).toBe(true);
      expect(replica.environment?.['GPSIM_PUBLIC_URL']).toBe('http://localhost:8080');
    }
  });

  it('puts a load balancer in front whose configuration file exists and names every replica', () => {
    const balancer = services['loadbalancer'];
    expect(balancer?.image).toMatch(/^nginx:/);
    expect(balancer?.volumes).toContain('./nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(balancer?.ports).toEqual(expect.arrayContaining(['8080:8080', '8081:8081', '2135:2135']));
    for (const [name] of replicas) {
      for (const port of [4100, 4101, 2135]) expect(nginx).toContain(`server ${name}:${port};`);
    }
  });

  it('keeps OAuth flows on one replica, since their short-lived state is per process', () => {
    expect(nginx).toMatch(/upstream gpsim_oauth \{\s*ip_hash;/);
    expect(nginx).toMatch(/location \/oauth\/ \{\s*proxy_pass http:\/\/gpsim_oauth;/);
  });

  it('is documented next to it', () => {
    const readme = readFileSync(join(folder, 'README.md'), 'utf8');
    expect(readme).toContain('docker compose up');
    expect(readme).toContain('015-shared-store-and-replicas.md');
    expect(existsSync(join(root, 'docs', 'decisions', '015-shared-store-and-replicas.md'))).toBe(true);
  });
});
