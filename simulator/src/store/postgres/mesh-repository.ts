import type { Pool } from 'pg';
import type { MeshMessage } from '../../domain/mesh/mesh-message';
import type { InboxPage, MeshRepository } from '../store';
import type { PostgresMigration } from './migrations';

export const meshMigrations: readonly PostgresMigration[] = [
  {
    id: 'mesh-001',
    sql: `CREATE TABLE mesh_messages (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            recipient TEXT NOT NULL,
            status TEXT NOT NULL,
            expires_at TEXT,
            message TEXT NOT NULL
          );
          CREATE INDEX mesh_messages_inbox ON mesh_messages (recipient, status, seq);
          CREATE INDEX mesh_messages_expiry ON mesh_messages (status, expires_at);
          CREATE TABLE mesh_parts (
            message_id TEXT NOT NULL,
            chunk INTEGER NOT NULL,
            part INTEGER NOT NULL,
            data BYTEA NOT NULL,
            PRIMARY KEY (message_id, chunk, part)
          );
          CREATE TABLE mesh_nonces (
            mailbox TEXT NOT NULL,
            nonce TEXT NOT NULL,
            nonce_count TEXT NOT NULL,
            PRIMARY KEY (mailbox, nonce, nonce_count)
          );`,
    resetTables: ['mesh_messages', 'mesh_parts', 'mesh_nonces'],
  },
];

/** MESH messages; content in bounded rows per part, so no message is held whole in memory. */
export class PostgresMeshRepository implements MeshRepository {
  constructor(private readonly pool: Pool) {}

  async insert(message: MeshMessage): Promise<void> {
    await this.pool.query(
      'INSERT INTO mesh_messages (id, recipient, status, expires_at, message) VALUES ($1, $2, $3, $4, $5)',
      row(message),
    );
  }

  async get(id: string): Promise<MeshMessage | undefined> {
    const { rows } = await this.pool.query<{ message: string }>('SELECT message FROM mesh_messages WHERE id = $1', [
      id,
    ]);
    return rows[0] ? (JSON.parse(rows[0].message) as MeshMessage) : undefined;
  }

  async update(message: MeshMessage): Promise<void> {
    await this.pool.query(
      'UPDATE mesh_messages SET recipient = $2, status = $3, expires_at = $4, message = $5 WHERE id = $1',
      row(message),
    );
  }

  async appendPart(messageId: string, chunk: number, part: number, data: Buffer): Promise<void> {
    await this.pool.query('INSERT INTO mesh_parts (message_id, chunk, part, data) VALUES ($1, $2, $3, $4)', [
      messageId,
      chunk,
      part,
      data,
    ]);
  }

  async part(messageId: string, chunk: number, part: number): Promise<Buffer | undefined> {
    const { rows } = await this.pool.query<{ data: Buffer }>(
      'SELECT data FROM mesh_parts WHERE message_id = $1 AND chunk = $2 AND part = $3',
      [messageId, chunk, part],
    );
    return rows[0]?.data;
  }

  async chunkNumbers(messageId: string): Promise<number[]> {
    const { rows } = await this.pool.query<{ chunk: number }>(
      'SELECT DISTINCT chunk FROM mesh_parts WHERE message_id = $1 ORDER BY chunk',
      [messageId],
    );
    return rows.map((found) => found.chunk);
  }

  async deleteChunk(messageId: string, chunk: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: string | null }>(
      `WITH gone AS (DELETE FROM mesh_parts WHERE message_id = $1 AND chunk = $2 RETURNING data)
       SELECT SUM(octet_length(data)) AS n FROM gone`,
      [messageId, chunk],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async inbox(recipient: string, nowIso: string, limit: number, afterSeq: number): Promise<InboxPage> {
    // One more than asked for tells whether another page follows.
    const { rows } = await this.pool.query<{ seq: string; id: string }>(
      `SELECT seq, id FROM mesh_messages
        WHERE recipient = $1 AND status = 'accepted' AND expires_at > $2 AND seq > $3
        ORDER BY seq LIMIT $4`,
      [recipient, nowIso, afterSeq, limit + 1],
    );
    const counted = await this.pool.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM mesh_messages WHERE recipient = $1 AND status = 'accepted' AND expires_at > $2`,
      [recipient, nowIso],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      ids: page.map((found) => found.id),
      ...(rows.length > limit && last ? { next: Number(last.seq) } : {}),
      count: Number(counted.rows[0]?.n ?? 0),
    };
  }

  async expired(nowIso: string, limit: number): Promise<MeshMessage[]> {
    const { rows } = await this.pool.query<{ message: string }>(
      "SELECT message FROM mesh_messages WHERE status = 'accepted' AND expires_at <= $1 ORDER BY expires_at LIMIT $2",
      [nowIso, limit],
    );
    return rows.map((found) => JSON.parse(found.message) as MeshMessage);
  }

  async useNonce(mailbox: string, nonce: string, nonceCount: string): Promise<boolean> {
    const result = await this.pool.query(
      'INSERT INTO mesh_nonces (mailbox, nonce, nonce_count) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [mailbox, nonce, nonceCount],
    );
    return result.rowCount === 1;
  }
}

function row(message: MeshMessage): unknown[] {
  return [message.id, message.recipient, message.status, message.expiresAt ?? null, JSON.stringify(message)];
}
