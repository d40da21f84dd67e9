// ExportFileStore on PostgreSQL (UNLOGGED, bytea): an export link made on one replica downloads from any other.
import type { OutFile } from '../domain';
import type { Queryable } from '../db';
import { newFileId, type ExportFileStore, type FileStoreOptions, type StoredFile } from './file-store';

export class PgFileStore implements ExportFileStore {
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(
    private readonly q: Queryable,
    opts: FileStoreOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 10 * 60_000;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.now = opts.now ?? Date.now;
  }

  async put(file: OutFile): Promise<string> {
    const id = newFileId();
    const t = this.now();
    await this.q.query('DELETE FROM export_files WHERE expires_at <= $1', [t]);
    await this.q.query(
      'INSERT INTO export_files (id, filename, mime_type, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, file.filename, file.mimeType, file.data, t, t + this.ttlMs],
    );
    // Over the byte budget, the oldest files go first (never the one just stored).
    await this.q.query(
      `DELETE FROM export_files WHERE id IN (
         SELECT id FROM (SELECT id, SUM(octet_length(data)) OVER (ORDER BY seq DESC) AS total FROM export_files) x
         WHERE x.total > $1 AND x.id <> $2)`,
      [this.maxBytes, id],
    );
    return id;
  }

  async get(id: string): Promise<StoredFile | undefined> {
    const r = await this.q.query(
      'SELECT filename, mime_type, data, expires_at FROM export_files WHERE id = $1 AND expires_at > $2',
      [id, this.now()],
    );
    const row = r.rows[0];
    return row
      ? { filename: row.filename, mimeType: row.mime_type, data: row.data as Buffer, expiresAt: row.expires_at }
      : undefined;
  }
}
