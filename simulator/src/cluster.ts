import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { GpsimOptions } from './config/options';
import { OptionError } from './config/options';
import { resolveAdminToken } from './control/admin-token';
import { isClusterChangeMessage } from './store/cluster-change-feed';
import { openStore } from './store/open-store';

/** The options every worker runs with, resolved once by the primary (free ports already chosen). */
const WORKER_OPTIONS_ENV = 'GPSIM_CLUSTER_WORKER_OPTIONS';

/** A worker that crashes this often within the window is failing at start: the cluster gives up. */
const RESTART_LIMIT = 5;
const RESTART_WINDOW_MS = 30_000;

interface WorkerReady {
  gpsimWorkerReady: { nodes: { name: string; url: string }[] };
}

function isWorkerReady(message: unknown): message is WorkerReady {
  return typeof message === 'object' && message !== null && 'gpsimWorkerReady' in message;
}

/** In a worker: the options its primary resolved. */
export function workerOptions(): GpsimOptions {
  const text = process.env[WORKER_OPTIONS_ENV];
  if (text === undefined) throw new OptionError('this process was started as a gpsim worker without its options.');
  return JSON.parse(text) as GpsimOptions;
}

/** In a worker: tells the primary this worker listens. */
export function reportWorkerReady(nodes: { name: string; url: string }[]): void {
  const message: WorkerReady = { gpsimWorkerReady: { nodes } };
  process.send?.(message);
}

/**
 * `gpsim start --workers N`: N processes over one store, sharing the listening sockets through
 * node:cluster. The primary serves nothing itself: it migrates the store before any worker opens
 * it, relays each worker's store changes to the others (SQLite has no notifications of its own),
 * restarts a worker that crashes, and on SIGTERM or SIGINT sends each worker SIGTERM and waits
 * for every one to finish its in-flight requests.
 */
export async function runCluster(options: GpsimOptions, logger: Logger): Promise<void> {
  if (options.store === 'memory') {
    throw new OptionError('--workers needs a store the workers share: sqlite (the default) or a postgres:// URL.');
  }
  // Schema migrations run once, here, so workers starting together never race on them.
  await (await openStore(options.store, resolve(options.dataDir))).close();
  const adminToken = resolveAdminToken(options);
  const shared: GpsimOptions = {
    ...options,
    ...(await choosePorts(options)),
    ...(adminToken === undefined ? {} : { adminToken }),
  };

  cluster.setupPrimary({ silent: false });
  const ready = new Set<number>();
  const restarts: number[] = [];
  let stopping = false;
  let failed = false;

  const fork = (): Worker => {
    const worker = cluster.fork({ [WORKER_OPTIONS_ENV]: JSON.stringify(shared) });
    worker.on('message', (message: unknown) => {
      if (isClusterChangeMessage(message)) {
        for (const other of Object.values(cluster.workers ?? {})) {
          if (other && other !== worker && other.isConnected()) other.send(message);
        }
      } else if (isWorkerReady(message)) {
        ready.add(worker.id);
        if (ready.size === shared.workers) {
          logger.info(
            { workers: shared.workers, pids: Object.values(cluster.workers ?? {}).map((w) => w?.process.pid) },
            `gpsim cluster of ${shared.workers} workers listening on ${message.gpsimWorkerReady.nodes
              .map((node) => `${node.url} (${node.name})`)
              .join(', ')}`,
          );
        }
      }
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('gpsim cluster stopped');
        process.exit(failed ? 1 : 0);
      }
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while ((restarts[0] ?? now) < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > RESTART_LIMIT) {
      logger.fatal({ pid: worker.process.pid, code, signal }, 'gpsim workers keep crashing; stopping the cluster');
      stopping = true;
      failed = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    const replacement = fork();
    logger.warn(
      { pid: worker.process.pid, code, signal, replacement: replacement.process.pid },
      'gpsim worker exited; started a replacement',
    );
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'gpsim cluster stopping: workers finish their in-flight requests');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < shared.workers; i++) fork();
}

/**
 * Port 0 means "any free port", but every worker must listen on the same one: the primary picks
 * each once. (node:cluster keys shared handles by address and port, so two listeners asking for
 * port 0 would otherwise be handed the same socket.)
 */
async function choosePorts(options: GpsimOptions): Promise<Pick<GpsimOptions, 'port' | 'backupPort' | 'tcpPort'>> {
  const pick = async (port: number | null) => (port === 0 ? freePort(options.host) : port);
  return {
    port: (await pick(options.port)) as number,
    backupPort: await pick(options.backupPort),
    tcpPort: await pick(options.tcpPort),
  };
}

function freePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
