import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { MeshRepository } from '../../store/store';
import type { MeshMessage } from './mesh-message';

/** Content is stored in parts of this size, so memory stays bounded whatever the message size. */
const PART_BYTES = 1024 * 1024;

/**
 * Message content in the store: written part by part as an upload arrives and read back part by
 * part, so no message is held whole in memory (except `whole`, for bounded ITK3 payloads).
 */
export class MessageContent {
  constructor(private readonly repository: MeshRepository) {}

  /** Stores a chunk; a failed upload (too large, connection lost) leaves nothing behind. */
  async store(messageId: string, chunk: number, content: Readable): Promise<number> {
    try {
      return await this.storeChunk(messageId, chunk, content);
    } catch (error) {
      await this.repository.deleteChunk(messageId, chunk);
      throw error;
    }
  }

  private async storeChunk(messageId: string, chunk: number, content: Readable): Promise<number> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let part = 0;
    let size = 0;
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return;
      await this.repository.appendPart(messageId, chunk, part++, Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
    };
    for await (const piece of content) {
      const buffer = piece as Buffer;
      pending.push(buffer);
      pendingBytes += buffer.length;
      size += buffer.length;
      if (pendingBytes >= PART_BYTES) await flush();
    }
    await flush();
    return size;
  }

  read(messageId: string, chunk: number): Readable {
    const repository = this.repository;
    async function* parts(): AsyncGenerator<Buffer> {
      for (let part = 0; ; part++) {
        const data = await repository.part(messageId, chunk, part);
        if (!data) return;
        yield data;
      }
    }
    return Readable.from(parts());
  }

  /** The whole content of a message of at most maxBytes, decompressed when the sender compressed it; undefined when it cannot be read. */
  async whole(message: MeshMessage, maxBytes: number): Promise<Buffer | undefined> {
    if (message.size > maxBytes) return undefined;
    const buffers: Buffer[] = [];
    for (let chunk = 1; chunk <= message.totalChunks; chunk++) {
      const parts: Buffer[] = [];
      for await (const part of this.read(message.id, chunk)) parts.push(part as Buffer);
      const data = Buffer.concat(parts);
      const gzipped = message.compressed === true || message.contentEncoding === 'gzip';
      try {
        buffers.push(gzipped ? gunzipSync(data, { maxOutputLength: maxBytes }) : data);
      } catch {
        return undefined;
      }
    }
    return Buffer.concat(buffers);
  }
}
