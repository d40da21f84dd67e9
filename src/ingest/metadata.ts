import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { DocStatus } from '../domain';
import { fold } from '../text';
import { detectDocNumber } from './detect';
import { loadFile, type LoadOptions } from './loaders';
import type { DocMeta, RawDocument } from './types';

/*
 * Document metadata: Markdown frontmatter, or a sidecar `<file>.meta.yaml` next to any file (TXT, PDF, DOCX, HTML,
 * Markdown), read here; what the text itself states is detected in detect-meta.ts. Sidecar fields override the
 * frontmatter. Bad metadata never costs the document: a sidecar that does not parse or does not validate is
 * reported by file name and ignored as a whole; a frontmatter's invalid validity fields are reported and ignored.
 */

export const SIDECAR_SUFFIXES = ['.meta.yaml', '.meta.yml'];

export function isSidecar(file: string): boolean {
  return SIDECAR_SUFFIXES.some((s) => file.toLowerCase().endsWith(s));
}

/** The sidecar of a document (absolute or corpus-relative path), when one exists. */
export function sidecarOf(file: string): string | undefined {
  for (const s of SIDECAR_SUFFIXES) if (existsSync(file + s)) return file + s;
  return undefined;
}

/** Metadata keys: the Vietnamese name used in the corpus first, then accepted aliases. */
export const META_KEYS: Record<keyof DocMeta, string[]> = {
  docNumber: ['so_hieu', 'doc_number', 'docNumber'],
  title: ['title', 'ten'],
  docType: ['loai', 'type'],
  issuer: ['co_quan_ban_hanh', 'issuer'],
  issued: ['ngay_ban_hanh', 'issued'],
  effectiveFrom: ['hieu_luc', 'effective_from'],
  expiredFrom: ['het_hieu_luc', 'expired_from'],
  status: ['tinh_trang', 'status'],
  replacedBy: ['thay_the_boi', 'replaced_by'],
  amendedBy: ['sua_doi_boi', 'amended_by'],
  url: ['nguon', 'url'],
  note: ['ghi_chu', 'note'],
};

/** Other keys the project reads (procedure frontmatter, keywords, kind), so a sidecar may carry them too. */
const OTHER_KEYS = [
  'id',
  'kind',
  'tu_khoa',
  'keywords',
  'linh_vuc',
  'co_quan',
  'cap',
  'thoi_han',
  'le_phi',
  'can_cu',
  'truc_tuyen',
  'cap_nhat',
];
const KNOWN_KEYS = new Set([...Object.values(META_KEYS).flat(), ...OTHER_KEYS]);

/** Accepted status wordings, folded, without punctuation. */
const STATUS_WORDS: [DocStatus, string[]][] = [
  ['in-force', ['con hieu luc', 'dang co hieu luc', 'co hieu luc', 'dang hieu luc', 'in force', 'in-force', 'valid']],
  [
    'amended',
    [
      'duoc sua doi bo sung',
      'da duoc sua doi bo sung',
      'sua doi bo sung',
      'da sua doi bo sung',
      'het hieu luc mot phan',
      'amended',
    ],
  ],
  [
    'repealed',
    [
      'het hieu luc',
      'da het hieu luc',
      'het hieu luc toan bo',
      'bi thay the',
      'da bi thay the',
      'da duoc thay the',
      'bi bai bo',
      'da bi bai bo',
      'repealed',
      'expired',
      'replaced',
    ],
  ],
  ['not-yet', ['chua co hieu luc', 'chua hieu luc', 'not yet in force', 'not-yet']],
];

export const STATUS_LABEL: Record<DocStatus, string> = {
  'in-force': 'còn hiệu lực',
  amended: 'được sửa đổi, bổ sung',
  repealed: 'hết hiệu lực',
  'not-yet': 'chưa có hiệu lực',
};

export function parseStatus(v: string): DocStatus | undefined {
  const key = fold(v)
    .replace(/[^a-z0-9 -]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return STATUS_WORDS.find(([, words]) => words.includes(key))?.[0];
}

const UNKNOWN = new Set(['', 'unknown', 'khong ro', 'chua ro', 'khong xac dinh', 'chua xac dinh', '?', '-', 'n/a']);

function isoDate(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d || y < 1945 || y > 2100)
    return undefined;
  return t.toISOString().slice(0, 10);
}

/**
 * A date as written in metadata or legal text: 2025-07-01, 01/7/2025, 1.7.2025, "ngày 01 tháng 7 năm 2025", a YAML
 * date. Returns null for "unknown"-like values (the field stays unknown), undefined when it is not a date.
 */
export function parseDate(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
  if (typeof v !== 'string') return undefined;
  const s = v.normalize('NFC').trim();
  if (UNKNOWN.has(fold(s))) return null;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return isoDate(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return isoDate(+m[3], +m[2], +m[1]);
  m = /^(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})$/iu.exec(s);
  if (m) return isoDate(+m[3], +m[2], +m[1]);
  return undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() ? v.normalize('NFC').trim() : undefined;
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(text).filter((x): x is string => Boolean(x));
  const s = text(v);
  return s ? s.split(/\s*;\s*/).filter(Boolean) : [];
}

/** "Luật số 72/2025/QH15" -> "72/2025/QH15"; a name without a number is kept as written. */
function docRef(s: string): string {
  return detectDocNumber(s) ?? s;
}

function pick(rec: Record<string, unknown>, field: keyof DocMeta): unknown {
  for (const k of META_KEYS[field]) if (rec[k] !== undefined) return rec[k];
  return undefined;
}

/** The metadata fields of a frontmatter or sidecar mapping: valid fields, and what is wrong with the others. */
export function readMeta(rec: Record<string, unknown>): { meta: DocMeta; problems: string[] } {
  const meta: DocMeta = {};
  const problems: string[] = [];
  const num = text(pick(rec, 'docNumber'));
  if (num) meta.docNumber = num;
  for (const f of ['title', 'docType', 'issuer', 'note'] as const) {
    const v = text(pick(rec, f));
    if (v) meta[f] = v;
  }
  for (const f of ['issued', 'effectiveFrom', 'expiredFrom'] as const) {
    const raw = pick(rec, f);
    if (raw === undefined) continue;
    const d = parseDate(raw);
    if (d === undefined)
      problems.push(`${META_KEYS[f][0]}: "${String(raw)}" is not a date (use yyyy-mm-dd or dd/mm/yyyy, or "unknown")`);
    else if (d) meta[f] = d;
  }
  const st = pick(rec, 'status');
  if (st !== undefined && st !== null) {
    const s = text(st);
    const parsed = s ? parseStatus(s) : undefined;
    if (parsed) meta.status = parsed;
    else if (!s || !UNKNOWN.has(fold(s)))
      problems.push(
        `tinh_trang: unknown status "${String(st)}" (expected one of: ${Object.values(STATUS_LABEL).join('; ')})`,
      );
  }
  const rep = text(pick(rec, 'replacedBy'));
  if (rep) meta.replacedBy = docRef(rep);
  const amended = list(pick(rec, 'amendedBy')).map(docRef);
  if (amended.length) meta.amendedBy = amended;
  const url = list(pick(rec, 'url'))[0];
  if (url) meta.url = url;
  return { meta, problems };
}

/** Alias keys renamed to the corpus's own names, so a sidecar's `status` overrides a frontmatter's `tinh_trang`. */
function canonical(rec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const alias = new Map(Object.values(META_KEYS).flatMap((names) => names.map((n) => [n, names[0]] as const)));
  for (const [k, v] of Object.entries(rec)) out[alias.get(k) ?? k] = v;
  return out;
}

/** Parse a sidecar's text: the mapping, or why it cannot be used. */
export function parseSidecar(raw: string): { data?: Record<string, unknown>; problems: string[] } {
  let data: unknown;
  try {
    // CORE_SCHEMA: dates stay strings (parsed by parseDate), no custom tags.
    data = yaml.load(raw.replace(/^\uFEFF/, ''), { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    return { problems: [`does not parse as YAML (${(err as Error).message.split('\n')[0]})`] };
  }
  if (data === undefined || data === null) return { problems: ['is empty'] };
  if (typeof data !== 'object' || Array.isArray(data)) return { problems: ['is not a YAML mapping of field: value'] };
  const rec = data as Record<string, unknown>;
  const { problems } = readMeta(rec);
  const unknown = Object.keys(rec).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length) problems.push(`unknown field(s) ${unknown.join(', ')} (see README "Adding documents")`);
  return { data: canonical(rec), problems };
}

/**
 * Load a corpus file with its metadata: the loader's (frontmatter, PDF info), checked, then the sidecar's on top.
 * Problems are added to `warnings`; the document itself is always returned.
 */
export async function loadDocument(absPath: string, source: string, opts: LoadOptions = {}): Promise<RawDocument> {
  const doc = await loadFile(absPath, source, opts);
  const warnings = (doc.warnings ??= []);
  const own = readMeta(doc.metadata).problems;
  if (own.length) warnings.push(`frontmatter: ${own.join('; ')}; these fields are ignored`);
  doc.metadata = canonical(doc.metadata);
  const side = sidecarOf(absPath);
  if (!side) return doc;
  const name = path.posix.join(path.posix.dirname(source), path.basename(side));
  let raw: string;
  try {
    raw = readFileSync(side, 'utf8');
  } catch (err) {
    warnings.push(
      `${name}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); metadata file ignored`,
    );
    return doc;
  }
  const { data, problems } = parseSidecar(raw);
  const fatal = problems.filter((p) => !p.startsWith('unknown field'));
  if (!data || fatal.length) {
    warnings.push(`${name}: ${problems.join('; ')}; metadata file ignored`);
    return doc;
  }
  if (problems.length) warnings.push(`${name}: ${problems.join('; ')}`);
  doc.metadata = { ...doc.metadata, ...data };
  return doc;
}
