/** Message content: bytes in memory, or a stream of known size that is read one chunk at a time. */
export type MeshContent =
  string | Uint8Array | { stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>; size: number };

/**
 * Regroups content into chunks of exactly `chunkSize` bytes (the last one shorter), holding at most
 * one chunk in memory: a streamed chunk reuses one buffer, so it is valid only until the next one
 * is requested (the sender finishes each chunk's request before asking for the next).
 */
export async function* chunksOf(content: MeshContent, chunkSize: number): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  if (typeof content === 'string' || content instanceof Uint8Array) {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    if (bytes.length === 0) yield new Uint8Array(0);
    for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.slice(offset, offset + chunkSize);
    return;
  }
  const buffer = new Uint8Array(chunkSize);
  let filled = 0;
  for await (const piece of iterate(content.stream)) {
    let offset = 0;
    while (offset < piece.length) {
      const take = Math.min(chunkSize - filled, piece.length - offset);
      buffer.set(piece.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === chunkSize) {
        yield buffer;
        filled = 0;
      }
    }
  }
  if (filled > 0 || content.size === 0) yield buffer.subarray(0, filled);
}

export function sizeOf(content: MeshContent): number {
  if (typeof content === 'string') return new TextEncoder().encode(content).length;
  return content instanceof Uint8Array ? content.length : content.size;
}

async function* iterate(stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in stream) {
    yield* stream as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (stream as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Gzips one chunk: each chunk is a whole gzip member, and members concatenated are one gzip file (RFC 1952 §2.2). */
export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
