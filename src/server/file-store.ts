// Short-lived store for files attached to chat replies (the /xuat export), served as download links: in memory by
// default, in PostgreSQL with DATABASE_URL (file-store-pg.ts) so that a link made by one replica downloads from any.
import { randomBytes } from 'node:crypto';
import type { OutFile } from '../domain';
import { stripDiacritics } from '../text';

export interface StoredFile extends OutFile {
  expiresAt: number;
}

/** How long a download link works. */
export const FILE_TTL_MS = 10 * 60_000;

export interface FileStoreOptions {
  ttlMs?: number;
  /** Total bytes kept; the oldest files are dropped first. */
  maxBytes?: number;
  now?: () => number;
}

export interface ExportFileStore {
  /** Keeps `file` for a while; returns its random id (128 bits), the only way to reach it. */
  put(file: OutFile): Promise<string>;
  /** The file, until it expires. */
  get(id: string): Promise<StoredFile | undefined>;
}

/** A download id: 16 random bytes, base64url. */
export const newFileId = (): string => randomBytes(16).toString('base64url');

/** Files are reachable only through their random id (128 bits) and only for `ttlMs`. */
export class FileStore implements ExportFileStore {
  private readonly files = new Map<string, StoredFile>();
  private bytes = 0;
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(opts: FileStoreOptions = {}) {
    this.ttlMs = opts.ttlMs ?? FILE_TTL_MS;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.now = opts.now ?? Date.now;
  }

  async put(file: OutFile): Promise<string> {
    this.sweep();
    const id = newFileId();
    this.files.set(id, { ...file, expiresAt: this.now() + this.ttlMs });
    this.bytes += file.data.length;
    for (const [oldId, f] of this.files) {
      if (this.bytes <= this.maxBytes || oldId === id) break;
      this.drop(oldId, f);
    }
    return id;
  }

  async get(id: string): Promise<StoredFile | undefined> {
    const f = this.files.get(id);
    if (!f) return undefined;
    if (f.expiresAt <= this.now()) {
      this.drop(id, f);
      return undefined;
    }
    return f;
  }

  get size(): number {
    return this.files.size;
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, f] of this.files) if (f.expiresAt <= t) this.drop(id, f);
  }

  private drop(id: string, f: StoredFile): void {
    this.files.delete(id);
    this.bytes -= f.data.length;
  }
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(filename: string): string {
  const ascii = stripDiacritics(filename).replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
