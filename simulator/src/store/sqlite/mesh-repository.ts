import type Database from 'better-sqlite3';
import type { MeshMessage } from '../../domain/mesh/mesh-message';
import type { InboxPage, MeshRepository } from '../store';
import type { Migration } from './migrations';

export const meshMigrations: readonly Migration[] = [
  {
    id: 'mesh-001',
    sql: `CREATE TABLE mesh_messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
            data BLOB NOT NULL,
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

export class SqliteMeshRepository implements MeshRepository {
  private readonly insertMessage: Database.Statement;
  private readonly byId: Database.Statement<[string], { message: string }>;
  private readonly updateMessage: Database.Statement;
  private readonly insertPart: Database.Statement;
  private readonly selectPart: Database.Statement<[string, number, number], { data: Buffer }>;
  private readonly selectChunks: Database.Statement<[string], { chunk: number }>;
  private readonly chunkBytes: Database.Statement<[string, number], { n: number | null }>;
  private readonly removeChunk: Database.Statement;
  private readonly selectInbox: Database.Statement;
  private readonly countInbox: Database.Statement;
  private readonly insertNonce: Database.Statement;
  private readonly selectExpired: Database.Statement<[string, number], { message: string }>;

  constructor(db: Database.Database) {
    this.insertMessage = db.prepare(
      'INSERT INTO mesh_messages (id, recipient, status, expires_at, message) VALUES (@id, @recipient, @status, @expiresAt, @message)',
    );
    this.byId = db.prepare('SELECT message FROM mesh_messages WHERE id = ?');
    this.updateMessage = db.prepare(
      'UPDATE mesh_messages SET status = @status, expires_at = @expiresAt, message = @message WHERE id = @id',
    );
    this.insertPart = db.prepare('INSERT INTO mesh_parts (message_id, chunk, part, data) VALUES (?, ?, ?, ?)');
    this.selectPart = db.prepare('SELECT data FROM mesh_parts WHERE message_id = ? AND chunk = ? AND part = ?');
    this.selectChunks = db.prepare('SELECT DISTINCT chunk FROM mesh_parts WHERE message_id = ? ORDER BY chunk');
    this.chunkBytes = db.prepare('SELECT SUM(LENGTH(data)) AS n FROM mesh_parts WHERE message_id = ? AND chunk = ?');
    this.removeChunk = db.prepare('DELETE FROM mesh_parts WHERE message_id = ? AND chunk = ?');
    this.selectInbox = db.prepare(
      `SELECT seq, id FROM mesh_messages
        WHERE recipient = @recipient AND status = 'accepted' AND expires_at > @now AND seq > @after
        ORDER BY seq LIMIT @limit`,
    );
    this.countInbox = db.prepare(
      `SELECT COUNT(*) AS n FROM mesh_messages WHERE recipient = @recipient AND status = 'accepted' AND expires_at > @now`,
    );
    this.selectExpired = db.prepare(
      "SELECT message FROM mesh_messages WHERE status = 'accepted' AND expires_at <= ? ORDER BY expires_at LIMIT ?",
    );
    this.insertNonce = db.prepare('INSERT OR IGNORE INTO mesh_nonces (mailbox, nonce, nonce_count) VALUES (?, ?, ?)');
  }

  async insert(message: MeshMessage): Promise<void> {
    this.insertMessage.run(row(message));
  }

  async get(id: string): Promise<MeshMessage | undefined> {
    const found = this.byId.get(id);
    return found ? (JSON.parse(found.message) as MeshMessage) : undefined;
  }

  async update(message: MeshMessage): Promise<void> {
    this.updateMessage.run(row(message));
  }

  async appendPart(messageId: string, chunk: number, part: number, data: Buffer): Promise<void> {
    this.insertPart.run(messageId, chunk, part, data);
  }

  async part(messageId: string, chunk: number, part: number): Promise<Buffer | undefined> {
    return this.selectPart.get(messageId, chunk, part)?.data;
  }

  async chunkNumbers(messageId: string): Promise<number[]> {
    return this.selectChunks.all(messageId).map((found) => found.chunk);
  }

  async deleteChunk(messageId: string, chunk: number): Promise<number> {
    const bytes = this.chunkBytes.get(messageId, chunk)?.n ?? 0;
    this.removeChunk.run(messageId, chunk);
    return bytes;
  }

  async inbox(recipient: string, nowIso: string, limit: number, afterSeq: number): Promise<InboxPage> {
    // One more than asked for tells whether another page follows.
    const rows = this.selectInbox.all({ recipient, now: nowIso, after: afterSeq, limit: limit + 1 }) as {
      seq: number;
      id: string;
    }[];
    const page = rows.slice(0, limit);
    const { n } = this.countInbox.get({ recipient, now: nowIso }) as { n: number };
    const last = page[page.length - 1];
    return {
      ids: page.map((found) => found.id),
      ...(rows.length > limit && last ? { next: last.seq } : {}),
      count: n,
    };
  }

  async expired(nowIso: string, limit: number): Promise<MeshMessage[]> {
    return this.selectExpired.all(nowIso, limit).map((found) => JSON.parse(found.message) as MeshMessage);
  }

  async useNonce(mailbox: string, nonce: string, nonceCount: string): Promise<boolean> {
    return this.insertNonce.run(mailbox, nonce, nonceCount).changes === 1;
  }
}

function row(message: MeshMessage): Record<string, unknown> {
  return {
    id: message.id,
    recipient: message.recipient,
    status: message.status,
    expiresAt: message.expiresAt ?? null,
    message: JSON.stringify(message),
  };
}
