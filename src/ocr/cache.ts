// OCR results on disk, by the PDF's content hash: re-ingesting a scanned document (a new chunker, a deleted index,
// the same file uploaded again or moved) costs nothing. Pages are saved as they are recognised, so a long OCR that
// was interrupted resumes where it stopped.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PageText } from './tesseract';

type Entry = { version: number; pages: Record<string, PageText> };

export class OcrCache {
  /** `variant` names everything that changes the output (strategy version, language, resolution). */
  constructor(
    private readonly dir: string,
    private readonly variant: string,
  ) {}

  private file(hash: string): string {
    if (!/^[a-f0-9]{16,128}$/.test(hash)) throw new Error('OCR cache key must be a hex digest');
    return path.join(this.dir, `${hash}-${this.variant.replace(/[^a-z0-9]+/gi, '_')}.json`);
  }

  /** Every cached page of the file (page number -> text). */
  pages(hash: string): Map<number, PageText> {
    try {
      const e = JSON.parse(readFileSync(this.file(hash), 'utf8')) as Entry;
      return new Map(Object.entries(e.pages).map(([k, v]) => [Number(k), v]));
    } catch {
      return new Map();
    }
  }

  put(hash: string, page: number, result: PageText): void {
    const pages = Object.fromEntries([...this.pages(hash)].map(([k, v]) => [String(k), v]));
    pages[String(page)] = result;
    mkdirSync(this.dir, { recursive: true });
    const target = this.file(hash);
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, pages } satisfies Entry));
    renameSync(tmp, target);
  }
}
