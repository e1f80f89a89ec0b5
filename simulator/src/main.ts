import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { resolveAdminToken } from './control/admin-token';
import { environmentProfile } from './environment/environment-profile';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { join, resolve } from 'node:path';
import pino from 'pino';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { GpsimApp } from './app';
import type { GpsimOptions } from './config/options';
import { Engine } from './engine';
import { openStore } from './store/open-store';
import type { SystmOneTcpServer } from './surfaces/systmone/tcp-listener';
import { createSystmOneTcpServer } from './surfaces/systmone/tcp-listener';

export interface RunningGpsim {
  app: GpsimApp;
  engine: Engine;
  /** Public URL of the primary node (s11). */
  url: string;
  /** Public URL of the backup node (s12), when it runs. */
  backupUrl: string | undefined;
  /** The SystmOne Client Integration TCP port, when it listens. */
  tcpPort: number | undefined;
  /** Stops accepting requests, lets in-flight ones finish, closes the store. */
  close(): Promise<void>;
}

export function gpsimVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'gpsim' },
    redact: { paths: ['*.password', '*.secret', '*.token', '*.authorization'], remove: true },
  });
}

/** Starts gpsim: opens the store, builds the estate, and listens as nodes s11 (and s12). */
export async function startGpsim(
  options: GpsimOptions,
  logger: Logger = createLogger(options.logLevel),
): Promise<RunningGpsim> {
  const dataDir = resolve(options.dataDir);
  const store = await openStore(options.store, dataDir);
  const engine = new Engine({
    estate: {
      seed: options.seed,
      practices: options.practices,
      patientsPerPractice: options.patientsPerPractice,
      populationDate: options.populationDate,
    },
    store,
    logger,
    version: gpsimVersion(),
    journalCapacity: options.journalCap,
    sharedJournal: store.kind === 'postgres' || cluster.isWorker,
    patientCacheSize: options.patientCache,
    recordCacheSize: options.recordCache,
    ...(options.workflowActor === 'auto' ? { workflowActorDelay: options.workflowActorDelay } : {}),

    // The integration profile has no lenient mode: only registered clients and redirect URIs.
    launch: { lenient: options.profile === 'sandbox' && options.launchLenient, autoApprove: options.launchAutoApprove },
    strict: options.strict,
    checkResponses: options.checkResponses,
    environment: environmentProfile(options.profile, options.rateLimit, options.partnerAllowList),
  });
  await engine.load();
  const app = createApp(engine, {
    adminToken: resolveAdminToken(options),
    clientRateLimit: options.clientRateLimit,
    behindTls: options.publicUrl?.startsWith('https:') === true,
  });
  const servers: Server[] = [];
  let tcp: SystmOneTcpServer | undefined;
  try {
    if (options.tcpPort !== null) {
      tcp = createSystmOneTcpServer(engine, app.dispatcher);
      await listenTcp(tcp.server, options.host, options.tcpPort);
    }
    const primary = await listen(nodeServer(app, 's11', options), options.host, options.port);
    servers.push(primary);
    const backup =
      options.backupPort === null
        ? undefined
        : await listen(nodeServer(app, 's12', options), options.host, options.backupPort);
    if (backup) servers.push(backup);
    engine.nodes = [{ name: 's11', url: publicUrl(options, primary) }];
    if (tcp) engine.systmOneTcpPort = (tcp.server.address() as AddressInfo).port;
    if (backup) engine.nodes.push({ name: 's12', url: publicUrl(options, backup, options.port) });
  } catch (error) {
    await tcp?.close();
    await Promise.all(servers.map((server) => closeServer(server)));
    await store.close();
    throw error;
  }
  const estate = engine.population.estate;
  logger.info(
    {
      nodes: engine.nodes,
      systmOneTcpPort: engine.systmOneTcpPort ?? null,
      seed: estate.spec.seed,
      practices: estate.practices.length,
      patients: estate.totalPatients,
      store: `${store.kind} ${store.location}`,
    },
    `gpsim ${engine.version} listening on ${engine.nodes.map((node) => `${node.url} (${node.name})`).join(', ')}`,
  );
  return {
    app,
    engine,
    url: engine.nodes[0]?.url as string,
    backupUrl: engine.nodes[1]?.url,
    tcpPort: engine.systmOneTcpPort,
    close: async () => {
      await tcp?.close();
      app.releaseFaults();
      engine.journal.endSubscriptions();
      await Promise.all(servers.map((server) => closeServer(server)));
      await engine.release();
      await store.close();
      engine.metrics.stop();
    },
  };
}

/** One node's HTTP server; while a node-down fault names the node it drops every new connection. */
function nodeServer(app: GpsimApp, node: string, options: GpsimOptions): Server {
  const server = createServer({ maxHeaderSize: options.maxHeaderBytes }, app.listener(node));
  server.on('connection', (socket) => {
    if (app.engine.faults.isNodeDown(node)) socket.destroy();
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => answerClientError(error, socket, options));
  return server;
}

/** Requests node:http refuses before gpsim sees them get a clear JSON answer instead of a bare status. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, options: GpsimOptions): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'Request Header Fields Too Large',
          `The request line and headers exceed ${options.maxHeaderBytes} bytes (--max-header-bytes).`,
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request did not arrive in time.']
        : [400, 'Bad Request', 'The request is not valid HTTP/1.1.'];
  const body = JSON.stringify({ error: { code: reason.toUpperCase().replace(/ /g, '_'), message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Pending connections the kernel may queue (capped by net.core.somaxconn). Node's default of 511
 * made a burst of 10,000 clients wait for SYN retransmits (1 s, 3 s, 7 s...) before gpsim saw them.
 */
const LISTEN_BACKLOG = 65_535;

function listen(server: Server, host: string, port: number): Promise<Server> {
  // Idle keep-alive sockets must not hold shutdown open; in-flight requests still complete.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} on ${host} is already in use; choose another with --port/--backup-port (or 0 for any free port).`,
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', onError);
      resolvePromise(server);
    });
  });
}

function listenTcp(server: NetServer, host: string, port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `SystmOne TCP port ${port} on ${host} is already in use; choose another with --tcp-port (or "none").`,
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      server.on('error', () => undefined);
      resolvePromise();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise());
    server.closeIdleConnections();
  });
}

function publicUrl(options: GpsimOptions, server: Server, primaryPort?: number): string {
  const { port } = server.address() as AddressInfo;
  if (options.publicUrl) {
    // Behind a proxy the backup node keeps its own port on the public host.
    if (primaryPort === undefined) return options.publicUrl;
    const url = new URL(options.publicUrl);
    url.port = String(port);
    return url.toString().replace(/\/$/, '');
  }
  const host = ['0.0.0.0', '::', ''].includes(options.host)
    ? '127.0.0.1'
    : options.host.includes(':')
      ? `[${options.host}]`
      : options.host;
  return `http://${host}:${port}`;
}
