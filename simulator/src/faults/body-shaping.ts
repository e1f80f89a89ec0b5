import { Readable, Transform } from 'node:stream';
import type { ResponseBody } from '../transport/types';

/** Largest streamed body a truncate or malformed fault reads into memory. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export async function bodyBytes(body: ResponseBody | undefined): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += bytes.length;
    if (size > MAX_BUFFERED_BYTES) {
      body.destroy();
      break;
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/**
 * The first `fraction` of the body, announced with the full Content-Length and then cut off: the
 * client sees a premature end of the response, as when a connection drops mid-transfer.
 */
export function truncatedBody(bytes: Buffer, fraction: number): Readable {
  const cut = Math.floor(bytes.length * fraction);
  let sent = false;
  return new Readable({
    read() {
      if (sent) return;
      sent = true;
      if (cut > 0) this.push(bytes.subarray(0, cut));
      // Defer the failure so the partial bytes are flushed before the socket is destroyed.
      setTimeout(() => this.destroy(new Error('truncated by a fault rule')), 20);
    },
  });
}

/**
 * A corrupted body of the same length: the second half overwritten with bytes no JSON or XML
 * parser accepts, so clients meet a parse failure behind a success status.
 */
export function malformedBody(bytes: Buffer): Buffer {
  const corrupt = Buffer.from(bytes);
  const from = Math.floor(corrupt.length / 2);
  const garbage = Buffer.from('<<\u0000gpsim-malformed}{');
  for (let i = from; i < corrupt.length; i++) corrupt[i] = garbage[(i - from) % garbage.length] as number;
  if (corrupt.length === 0) return garbage;
  return corrupt;
}

export interface PaceOptions {
  chunkBytes: number;
  /** Fixed pause after each chunk (dribble), or... */
  intervalMs?: number;
  /** ...the pause a link of this bandwidth needs for the chunk (network shaping). */
  bitsPerSecond?: number;
  /** ...or a slot on a line other responses share (the practice line): each chunk waits its turn. */
  line?: SharedLine;
}

/**
 * A link several responses share: chunks are sent in the order they ask, each taking its bits'
 * time, so twenty concurrent responses each see about a twentieth of the bandwidth.
 */
export class SharedLine {
  private freeAt = 0;
  constructor(readonly bitsPerSecond: number) {}

  /** Books `bytes` on the line; how long until they have been sent, ms. */
  reserve(bytes: number): number {
    const now = performance.now();
    this.freeAt = Math.max(now, this.freeAt) + (bytes * 8 * 1000) / this.bitsPerSecond;
    return this.freeAt - now;
  }
}

/** Sends the body in chunks with pauses between them, on timers: no worker capacity is held. */
export function pacedBody(body: ResponseBody, options: PaceOptions): Readable {
  const source = typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : body;
  // Pauses shorter than a timer tick are owed and paid together, so fast links stay accurate.
  let owedMs = 0;
  const pace = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const pieces: Buffer[] = [];
      for (let at = 0; at < chunk.length; at += options.chunkBytes)
        pieces.push(chunk.subarray(at, at + options.chunkBytes));
      const sendNext = (): void => {
        const piece = pieces.shift();
        if (piece === undefined) {
          callback();
          return;
        }
        if (options.line !== undefined) {
          setTimeout(() => {
            this.push(piece);
            sendNext();
          }, options.line.reserve(piece.length));
          return;
        }
        this.push(piece);
        owedMs += options.intervalMs ?? (options.bitsPerSecond ? (piece.length * 8 * 1000) / options.bitsPerSecond : 0);
        if (owedMs < 1) {
          sendNext();
          return;
        }
        const pauseMs = owedMs;
        owedMs = 0;
        setTimeout(sendNext, pauseMs);
      };
      sendNext();
    },
  });
  source.on('error', (error) => pace.destroy(error));
  return source.pipe(pace);
}
