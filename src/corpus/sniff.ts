// What an uploaded file is, judged by its bytes (a name can say anything), and the corpus name it is stored under.
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { decodeText } from '../ingest';
import { slug } from '../text';
import type { UploadRefusal } from './messages';

export type CorpusExt = '.pdf' | '.docx' | '.md' | '.txt' | '.html';

export type Sniffed = { ok: true; ext: CorpusExt } | { ok: false; refusal: UploadRefusal; detail: string };

const HTML_START = /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]/i;

/** PDF and DOCX by their signatures; text (UTF-8, not binary) as HTML when it starts like HTML, else Markdown or TXT. */
export async function sniffUpload(name: string, data: Buffer): Promise<Sniffed> {
  if (data.length === 0) return { ok: false, refusal: 'empty-file', detail: 'empty file' };
  const type = await fileTypeFromBuffer(data);
  if (type?.ext === 'pdf') return { ok: true, ext: '.pdf' };
  if (type?.ext === 'docx') return { ok: true, ext: '.docx' };
  if (type?.ext === 'cfb') return { ok: false, refusal: 'legacy-office', detail: 'OLE compound file (.doc/.xls)' };
  if (type?.mime.startsWith('image/')) return { ok: false, refusal: 'image', detail: `image (${type.mime})` };
  if (type) return { ok: false, refusal: 'unknown-type', detail: `${type.mime} (${type.ext})` };
  let text: string;
  try {
    text = decodeText(data);
  } catch (err) {
    return { ok: false, refusal: 'not-text', detail: (err as Error).message };
  }
  if (HTML_START.test(text.slice(0, 2048).replace(/^\uFEFF/, ''))) return { ok: true, ext: '.html' };
  const given = path.extname(name).toLowerCase();
  return { ok: true, ext: given === '.md' || given === '.markdown' ? '.md' : '.txt' };
}

/** "Quyết định 12-2025 (bản ký).PDF" -> "quyet-dinh-12-2025-ban-ky" + the extension the content has. */
export function corpusFileName(name: string, ext: CorpusExt): string {
  const base = path.basename(name.normalize('NFC').replace(/\\/g, '/'));
  const stem = base.slice(0, base.length - path.extname(base).length) || base;
  return `${slug(stem, 80) || 'van-ban'}${ext}`;
}
