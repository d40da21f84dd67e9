// Synthetic corpus for the benchmarks: `tsx scripts/bench-corpus.ts --chunks N [--seed S] [--out DIR] [--pdf-pages P]`
//
// Reproducible (mulberry32, fixed seed): the same seed, target and source texts always give the same files.
// Vocabulary and sentence shapes come from the real corpus (corpus/**/*.md|.txt) and, when present, the labour-law
// texts in /work/shared/external/legal-corpus/*.txt, through a word-level order-2 Markov chain trained on their
// prose lines. Structure copies the real documents:
//   - legal documents (phan-cap/...): frontmatter, "# title", Chương I + capitalised title, "Điều N. <title>",
//     numbered khoản "1. ..." and điểm "a) ..."; most articles fit one chunk, about one in eight is long enough to be
//     split by khoản, as in the real decrees;
//   - procedure documents (thu-tuc/...): frontmatter (id, title, linh_vuc, can_cu, tu_khoa) and the eight section
//     headings of the shipped procedures, one chunk each.
// Chunks are counted with the project's own chunker (chunkDocument), so `--chunks N` is met exactly or just
// over (by less than one document).
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chunkDocument } from '../src/ingest/chunk';
import { CHUNKER_VERSION } from '../src/search/index-store';
import { fold } from '../src/text/normalize';
import { PROCEDURE_SECTIONS as ALL_PROCEDURE_SECTIONS } from '../src/domain/procedure';
import { hasDiacritics } from '../src/text/terms';

/** Share of words carrying Vietnamese diacritics: OCR-damaged text ("cong dan dugc") scores near zero. */
function accentedShare(text: string): number {
  const words = text.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  return words.length ? words.filter(hasDiacritics).length / words.length : 0;
}

/** Bump when the generator's output changes, so cached corpora are rebuilt. */
export const GENERATOR_VERSION = 3;
export const DEFAULT_SEED = 20251121;

export const EXTERNAL_LEGAL_DIR = '/work/shared/external/legal-corpus';

// ---------------------------------------------------------------------------------------------------------------
// Random numbers

/** mulberry32: tiny, fast, good enough for test data, identical on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** k distinct items (fewer when xs is shorter). */
  sample<T>(xs: readonly T[], k: number): T[] {
    const out = new Set<T>();
    for (let tries = 0; out.size < Math.min(k, xs.length) && tries < k * 20; tries++) out.add(this.pick(xs));
    return [...out];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary from the real texts

export interface Vocabulary {
  /** Prose lines (list markers stripped) the Markov chain learns from. */
  proseLines: string[];
  articleTitles: string[];
  chapterTitles: string[];
  procedureTitles: string[];
  fields: string[];
  keywords: string[];
  /** Noun phrases usable as the object of a procedure or the topic of a decree. */
  topics: string[];
  /** Hash of every source text, for cache keys. */
  sourceHash: string;
  sources: string[];
}

function walk(dir: string, exts: string[]): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const rec = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) rec(p);
      else if (exts.includes(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  rec(dir);
  return out;
}

function splitFrontmatter(raw: string): { fm: string; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n?/.exec(raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  return m ? { fm: m[1], body: raw.slice(m[0].length) } : { fm: '', body: raw };
}

function fmValue(fm: string, key: string): string | undefined {
  const m = new RegExp(`^${key}:\\s*(.+)$`, 'm').exec(fm);
  return m ? m[1].trim().replace(/^"(.*)"$/, '$1') : undefined;
}

function fmList(fm: string, key: string): string[] {
  const v = fmValue(fm, key);
  if (!v) return [];
  if (v.startsWith('[')) {
    try {
      return (JSON.parse(v) as unknown[]).filter((x): x is string => typeof x === 'string');
    } catch {
      return [];
    }
  }
  return v.split(/\s*[,;]\s*/).filter(Boolean);
}

const HEADING_START = /^(#|Điều\s|Chương\s|CHƯƠNG\s|Mục\s|MỤC\s|Phần\s|PHẦN\s)/u;
const ARTICLE = /^(?:#{1,6}\s*)?Điều\s+\d+[a-zđ]?\s*[.:]\s*(.+)$/u;

export function loadVocabulary(repoRoot: string, externalDir: string = EXTERNAL_LEGAL_DIR): Vocabulary {
  const files = [...walk(path.join(repoRoot, 'corpus'), ['.md', '.txt']), ...walk(externalDir, ['.txt'])];
  const hash = createHash('sha1');
  const prose: string[] = [];
  const articleTitles = new Set<string>();
  const chapterTitles = new Set<string>();
  const procedureTitles = new Set<string>();
  const fields = new Set<string>();
  const keywords = new Set<string>();
  for (const f of files) {
    const raw = readFileSync(f, 'utf8').normalize('NFC');
    hash.update(path.basename(f)).update('\0').update(raw);
    const { fm, body } = splitFrontmatter(raw);
    const title = fmValue(fm, 'title');
    if (f.includes(`${path.sep}thu-tuc${path.sep}`) && title) procedureTitles.add(title);
    const field = fmValue(fm, 'linh_vuc');
    if (field) for (const x of field.split(/\s*,\s*/)) fields.add(x.charAt(0).toUpperCase() + x.slice(1));
    for (const k of fmList(fm, 'tu_khoa')) if (k.length >= 4 && k.length <= 40) keywords.add(k);
    const lines = body.split('\n').map((l) => l.trim());
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (!l) continue;
      const art = ARTICLE.exec(l);
      if (art) {
        const t = art[1].replace(/\s*\(.*$/, '').trim();
        if (t.length >= 6 && t.length <= 90) articleTitles.add(t);
        continue;
      }
      if (/^(Chương|CHƯƠNG)\s+[IVXLC\d]+\s*$/u.test(l) && lines[i + 1] && lines[i + 1] === lines[i + 1].toUpperCase()) {
        chapterTitles.add(lines[i + 1]);
        i++;
        continue;
      }
      if (HEADING_START.test(l) || l.startsWith('|') || l.startsWith('>') || /^https?:/.test(l)) continue;
      const text = l
        .replace(/^([-*•+]|\d+[.)]|[a-zđ]\))\s+/u, '')
        .replace(/\*\*/g, '')
        .trim();
      if (text.length >= 30 && !/[<>{}[\]|`]/.test(text) && accentedShare(text) >= 0.3) prose.push(text);
    }
  }
  const tsv = path.join(externalDir, 'articles.tsv');
  if (existsSync(tsv)) {
    for (const row of readFileSync(tsv, 'utf8').split('\n').slice(1)) {
      const t = row.split('\t')[2]?.trim();
      if (t && t.length >= 6 && t.length <= 90) articleTitles.add(t.normalize('NFC'));
    }
  }
  if (!chapterTitles.size)
    ['NHỮNG QUY ĐỊNH CHUNG', 'TỔ CHỨC THỰC HIỆN', 'ĐIỀU KHOẢN THI HÀNH'].forEach((t) => chapterTitles.add(t));
  const topics = new Set<string>();
  for (const t of articleTitles) {
    if (/^(Phạm vi|Đối tượng|Giải thích|Hiệu lực|Trách nhiệm thi hành|Điều khoản)/.test(t)) continue;
    if (t.length <= 60) topics.add(t.charAt(0).toLowerCase() + t.slice(1));
  }
  for (const t of procedureTitles) {
    const obj = t.replace(
      /^(Đăng ký|Cấp lại|Cấp đổi|Cấp|Chứng thực|Xác nhận|Đổi, cấp lại|Thay đổi, cải chính, bổ sung|Giao đất, cho thuê đất,)\s+/u,
      '',
    );
    if (obj.length >= 4 && obj.length <= 60 && !obj.includes('–'))
      topics.add(obj.charAt(0).toLowerCase() + obj.slice(1));
  }
  for (const k of keywords) if (k.split(' ').length >= 2) topics.add(k.charAt(0).toLowerCase() + k.slice(1));
  return {
    proseLines: prose,
    articleTitles: [...articleTitles],
    chapterTitles: [...chapterTitles],
    procedureTitles: [...procedureTitles],
    fields: fields.size ? [...fields] : ['Hộ tịch', 'Đất đai', 'Cư trú'],
    keywords: [...keywords],
    topics: [...topics],
    sourceHash: hash.digest('hex').slice(0, 10),
    sources: files.map((f) => path.relative(repoRoot, f)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Markov sentences

const START = '\u0002';
const END = '\u0003';

export class MarkovText {
  private readonly next = new Map<string, string[]>();

  constructor(lines: string[]) {
    for (const line of lines) {
      const w = line.split(/\s+/).filter(Boolean);
      const seq = [START, START, ...w, END];
      for (let i = 2; i < seq.length; i++) {
        const key = `${seq[i - 2]} ${seq[i - 1]}`;
        const list = this.next.get(key);
        if (list) list.push(seq[i]);
        else this.next.set(key, [seq[i]]);
      }
    }
  }

  /** One sentence of `minChars` to `maxChars` characters that cannot be mistaken for a heading or list item. */
  sentence(rng: Rng, minChars = 60, maxChars = 260): string {
    for (let attempt = 0; ; attempt++) {
      const words: string[] = [];
      let a = START;
      let b = START;
      let len = 0;
      for (;;) {
        const list = this.next.get(`${a} ${b}`);
        if (!list) break;
        const w = rng.pick(list);
        if (w === END) break;
        words.push(w);
        len += w.length + 1;
        if (len > maxChars) break;
        a = b;
        b = w;
      }
      let s = words.join(' ');
      if (s.length > maxChars) {
        // Cut at the last word boundary and close the sentence.
        s = s
          .slice(0, maxChars)
          .replace(/\s+\S*$/, '')
          .replace(/[,;:–-]+$/, '');
      }
      if (!/[.;:!?]$/.test(s)) s += '.';
      const bad = s.length < minChars || HEADING_START.test(s) || /^([-*•+]|\d+[.)]|[a-zđ]\))\s/u.test(s);
      if (!bad || attempt > 50)
        return bad ? `Nội dung này được thực hiện theo quy định của pháp luật hiện hành, ${s}` : s;
    }
  }

  paragraph(rng: Rng, sentences: number, maxChars = 260): string {
    const out: string[] = [];
    for (let i = 0; i < sentences; i++) out.push(this.sentence(rng, 60, maxChars));
    return out.join(' ');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Documents

/** The eight fixed sections of a shipped procedure document (the splitter knows a few more). */
const PROCEDURE_SECTIONS = ALL_PROCEDURE_SECTIONS.slice(0, 8);

const PROC_VERBS = [
  'Đăng ký',
  'Cấp',
  'Cấp lại',
  'Cấp đổi',
  'Gia hạn',
  'Điều chỉnh',
  'Xác nhận',
  'Thẩm định',
  'Công nhận',
  'Giải quyết',
  'Thông báo',
  'Phê duyệt',
  'Chứng thực',
  'Hỗ trợ',
];
const PROC_QUALIFIERS = [
  '',
  '',
  '',
  ' cho cá nhân',
  ' cho hộ gia đình',
  ' có yếu tố nước ngoài',
  ' tại cấp xã',
  ' trực tuyến',
  ' cho tổ chức',
  ' trong trường hợp bị mất, hỏng',
];
const LEGAL_TYPES = [
  { loai: 'Nghị định', suffix: 'NĐ-CP', issuer: 'Chính phủ', prefix: 'Nghị định' },
  { loai: 'Thông tư', suffix: 'TT-BTP', issuer: 'Bộ Tư pháp', prefix: 'Thông tư' },
  { loai: 'Thông tư', suffix: 'TT-BCA', issuer: 'Bộ Công an', prefix: 'Thông tư' },
  { loai: 'Thông tư', suffix: 'TT-BNV', issuer: 'Bộ Nội vụ', prefix: 'Thông tư' },
  { loai: 'Quyết định', suffix: 'QĐ-UBND', issuer: 'UBND tỉnh', prefix: 'Quyết định' },
  { loai: 'Nghị quyết', suffix: 'NQ-HĐND', issuer: 'HĐND tỉnh', prefix: 'Nghị quyết' },
];
const SECTION_LEADS: Record<string, string[]> = {
  'Cơ quan thực hiện': [
    'Việc {t} do UBND cấp xã tiếp nhận và giải quyết.',
    'Cơ quan thực hiện thủ tục {t}: Trung tâm Phục vụ hành chính công cấp xã.',
  ],
  'Thành phần hồ sơ': ['Hồ sơ {t} gồm:', 'Thành phần hồ sơ {t} gồm các giấy tờ sau:'],
  'Trình tự thực hiện': ['Các bước {t}:', 'Trình tự thực hiện thủ tục {t} như sau:'],
  'Thời hạn giải quyết': [
    'Thời hạn giải quyết {t} là {n} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.',
    'Việc {t} được giải quyết trong {n} ngày làm việc.',
  ],
  'Lệ phí': ['Lệ phí {t}: {fee}.', 'Mức thu lệ phí {t} do HĐND cấp tỉnh quyết định; mức phổ biến là {fee}.'],
  'Căn cứ pháp lý': ['Căn cứ pháp lý của thủ tục {t}:'],
  'Cách thức thực hiện': ['Cách thức {t}:', 'Người dân có thể {t} trực tiếp hoặc trực tuyến:'],
  'Lưu ý': ['Một số điểm cần nhớ khi {t}:', 'Lưu ý khi {t}:'],
};
const FEES = [
  'miễn lệ phí',
  '10.000 đồng/lần',
  '20.000 đồng/hồ sơ',
  '50.000 đồng/giấy',
  '100.000 đồng/lần',
  '8.000 đồng/bản',
];

const ROMAN = [
  'I',
  'II',
  'III',
  'IV',
  'V',
  'VI',
  'VII',
  'VIII',
  'IX',
  'X',
  'XI',
  'XII',
  'XIII',
  'XIV',
  'XV',
  'XVI',
  'XVII',
  'XVIII',
  'XIX',
  'XX',
];

function slug(s: string, max = 48): string {
  return fold(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, max)
    .replace(/-$/, '');
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

export interface GeneratedDoc {
  /** Relative path with forward slashes. */
  source: string;
  kind: 'procedure' | 'regulation';
  metadata: Record<string, unknown>;
  body: string;
}

function frontmatter(meta: Record<string, unknown>): string {
  const lines = Object.entries(meta).map(
    ([k, v]) => `${k}: ${Array.isArray(v) ? JSON.stringify(v) : typeof v === 'string' ? yamlString(v) : String(v)}`,
  );
  return `---\n${lines.join('\n')}\n---\n`;
}

export function renderMarkdown(d: GeneratedDoc): string {
  return frontmatter(d.metadata) + d.body;
}

export class CorpusGenerator {
  readonly rng: Rng;
  private readonly markov: MarkovText;
  private legalSerial = 0;
  private procSerial = 0;

  constructor(
    readonly vocab: Vocabulary,
    seed: number,
  ) {
    this.rng = new Rng(seed);
    this.markov = new MarkovText(vocab.proseLines);
  }

  docNumber(): { number: string; type: (typeof LEGAL_TYPES)[number] } {
    const type = this.rng.pick(LEGAL_TYPES);
    return { number: `${this.rng.int(1, 399)}/${this.rng.int(2015, 2025)}/${type.suffix}`, type };
  }

  private article(no: number): string {
    const r = this.rng;
    const title = r.pick(this.vocab.articleTitles);
    const lines = [`Điều ${no}. ${title}`];
    const long = r.chance(0.12);
    const clauses = long ? r.int(5, 9) : r.int(1, 4);
    if (r.chance(0.3)) lines.push(this.markov.sentence(r, 60, 220));
    for (let c = 1; c <= clauses; c++) {
      const withPoints = r.chance(long ? 0.35 : 0.15);
      lines.push(
        `${c}. ${withPoints ? this.markov.sentence(r, 40, 160).replace(/[.;]$/, ':') : this.markov.paragraph(r, r.int(1, 2), 200)}`,
      );
      if (withPoints) {
        const pts = r.int(2, 4);
        for (let p = 0; p < pts; p++) lines.push(`${'abcdđeghik'[p]}) ${this.markov.sentence(r, 40, 180)}`);
      }
    }
    return lines.join('\n');
  }

  legal(): GeneratedDoc {
    const r = this.rng;
    const n = ++this.legalSerial;
    const { number, type } = this.docNumber();
    const topic = r.pick(this.vocab.topics);
    const title = `${type.prefix} ${number} quy định chi tiết về ${topic}`;
    const field = r.pick(this.vocab.fields);
    const id = `vb-${String(n).padStart(5, '0')}-${slug(number)}`;
    const meta = {
      id,
      title,
      so_hieu: number,
      loai: type.loai,
      co_quan_ban_hanh: type.issuer,
      ngay_ban_hanh: `${number.split('/')[1]}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
      linh_vuc: field,
      tu_khoa: r.sample(this.vocab.keywords, r.int(2, 6)),
    };
    const parts = [
      `# ${title}`,
      '',
      `${type.issuer} ban hành ${type.loai.toLowerCase()} số ${number} quy định chi tiết về ${topic}.`,
      '',
    ];
    const articles = r.int(12, 60);
    const perChapter = r.int(5, 12);
    for (let a = 1; a <= articles; a++) {
      if ((a - 1) % perChapter === 0) {
        const ch = Math.floor((a - 1) / perChapter);
        parts.push(
          `Chương ${ROMAN[ch] ?? ch + 1}`,
          a === 1 ? 'NHỮNG QUY ĐỊNH CHUNG' : r.pick(this.vocab.chapterTitles),
          '',
        );
      }
      parts.push(this.article(a), '');
    }
    const dir = `phan-cap/${slug(type.loai)}`;
    return { source: `${dir}/${id}.md`, kind: 'regulation', metadata: meta, body: parts.join('\n') };
  }

  procedureTitle(): string {
    const r = this.rng;
    if (r.chance(0.08) && this.vocab.procedureTitles.length) return r.pick(this.vocab.procedureTitles);
    return `${r.pick(PROC_VERBS)} ${r.pick(this.vocab.topics)}${r.pick(PROC_QUALIFIERS)}`;
  }

  procedure(): GeneratedDoc {
    const r = this.rng;
    const n = ++this.procSerial;
    const title = this.procedureTitle();
    const t = title.charAt(0).toLowerCase() + title.slice(1);
    const field = r.pick(this.vocab.fields);
    const id = `tt-${String(n).padStart(5, '0')}-${slug(title)}`;
    const basis = Array.from({ length: r.int(2, 4) }, () => this.docNumber().number);
    const days = r.int(1, 30);
    const fee = r.pick(FEES);
    const meta = {
      id,
      title,
      linh_vuc: field,
      co_quan: 'UBND cấp xã',
      cap: 'xã',
      thoi_han: `${days} ngày làm việc`,
      le_phi: fee,
      can_cu: basis,
      tu_khoa: [t, ...r.sample(this.vocab.keywords, r.int(1, 4))],
    };
    const parts = [`# ${title}`, ''];
    for (const section of PROCEDURE_SECTIONS) {
      parts.push(`## ${section}`);
      parts.push(r.pick(SECTION_LEADS[section]).replace('{t}', t).replace('{n}', String(days)).replace('{fee}', fee));
      const items = r.int(2, 5);
      const numbered = section === 'Trình tự thực hiện';
      for (let i = 0; i < items; i++) {
        const s =
          section === 'Căn cứ pháp lý' && i < basis.length
            ? `${this.rng.pick(['Nghị định', 'Thông tư', 'Quyết định'])} ${basis[i]} ${this.markov.sentence(r, 30, 120)}`
            : this.markov.sentence(r, 50, 200);
        parts.push(numbered ? `${i + 1}. ${s}` : `- ${s}`);
      }
      parts.push('');
    }
    const dir = `thu-tuc/${slug(field, 24)}`;
    return { source: `${dir}/${id}.md`, kind: 'procedure', metadata: meta, body: parts.join('\n') };
  }
}

/** Chunks the project's chunker makes of a generated document (the same path ingest takes, minus the file read). */
export function countChunks(d: GeneratedDoc): number {
  return chunkDocument({
    source: d.source,
    format: 'md',
    metadata: d.metadata,
    pages: [{ text: d.body.normalize('NFC') }],
  }).length;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing a corpus (cached by its parameters)

export interface CorpusInfo {
  dir: string;
  target: number;
  seed: number;
  chunks: number;
  files: number;
  legalFiles: number;
  procedureFiles: number;
  legalChunks: number;
  procedureChunks: number;
  bytes: number;
  generator: number;
  chunker: number;
  sourceHash: string;
  sources: number;
  externalLegal: boolean;
  /** Seconds spent generating (0 when reused from the cache). */
  seconds: number;
  cached: boolean;
}

const MARKER = '.bench-corpus.json';

/**
 * Hash of the splitter sources: the chunk count of a cached corpus is only right for the chunker that counted it,
 * and CHUNKER_VERSION is not always bumped for small changes.
 */
export function chunkerSourceHash(repoRoot: string): string {
  const h = createHash('sha1');
  const dir = path.join(repoRoot, 'src/ingest');
  for (const f of existsSync(dir) ? readdirSync(dir).sort() : []) {
    if (/^(chunk|clean|detect|split-.*)\.ts$/.test(f))
      h.update(f)
        .update('\0')
        .update(readFileSync(path.join(dir, f)));
  }
  return h.digest('hex').slice(0, 8);
}
/** Share of chunks from legal documents (the rest are procedures). */
const LEGAL_SHARE = 0.7;

/**
 * Remove older corpora of the same size and seed (left by an earlier chunker or source text). Only ones untouched
 * for an hour, so a benchmark running beside this one keeps its corpus.
 */
function pruneStale(root: string, prefix: string, keep: string): void {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const p = path.join(root, name);
    if (!name.startsWith(prefix) || p === keep) continue;
    try {
      if (Date.now() - statSync(path.join(p, MARKER)).mtimeMs > 3600_000) rmSync(p, { recursive: true, force: true });
    } catch {
      // no marker: an unfinished corpus; leave it
    }
  }
}

export interface GenerateOptions {
  target: number;
  seed?: number;
  /** Parent directory; the corpus goes to <root>/corpus-<target>-s<seed>-<hash>. */
  root: string;
  repoRoot?: string;
  externalDir?: string;
  fresh?: boolean;
  log?: (m: string) => void;
}

export function generateCorpus(opts: GenerateOptions): CorpusInfo {
  const seed = opts.seed ?? DEFAULT_SEED;
  const repoRoot = opts.repoRoot ?? process.cwd();
  const externalDir = opts.externalDir ?? EXTERNAL_LEGAL_DIR;
  const vocab = loadVocabulary(repoRoot, externalDir);
  const dir = path.join(
    opts.root,
    `corpus-${opts.target}-s${seed}-${vocab.sourceHash}-g${GENERATOR_VERSION}c${CHUNKER_VERSION}-${chunkerSourceHash(repoRoot)}`,
  );
  const markerPath = path.join(dir, MARKER);
  if (!opts.fresh && existsSync(markerPath)) {
    try {
      const info = JSON.parse(readFileSync(markerPath, 'utf8')) as CorpusInfo;
      if (info.generator === GENERATOR_VERSION && info.chunker === CHUNKER_VERSION)
        return { ...info, dir, seconds: 0, cached: true };
    } catch {
      // regenerate
    }
  }
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  pruneStale(opts.root, `corpus-${opts.target}-s${seed}-`, dir);
  mkdirSync(dir, { recursive: true });
  const gen = new CorpusGenerator(vocab, seed);
  let legalChunks = 0;
  let procedureChunks = 0;
  let legalFiles = 0;
  let procedureFiles = 0;
  let bytes = 0;
  const made = new Set<string>();
  let lastLog = 0;
  while (legalChunks + procedureChunks < opts.target) {
    const total = legalChunks + procedureChunks;
    const wantLegal = legalChunks < LEGAL_SHARE * Math.max(total, 1) || total === 0;
    const doc = wantLegal ? gen.legal() : gen.procedure();
    const n = countChunks(doc);
    const abs = path.join(dir, doc.source);
    const d = path.dirname(abs);
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    const text = renderMarkdown(doc);
    writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
    if (doc.kind === 'regulation') {
      legalChunks += n;
      legalFiles++;
    } else {
      procedureChunks += n;
      procedureFiles++;
    }
    if (opts.log && legalChunks + procedureChunks - lastLog >= 20_000) {
      lastLog = legalChunks + procedureChunks;
      opts.log(`  generated ${lastLog} chunks`);
    }
  }
  const info: CorpusInfo = {
    dir,
    target: opts.target,
    seed,
    chunks: legalChunks + procedureChunks,
    files: legalFiles + procedureFiles,
    legalFiles,
    procedureFiles,
    legalChunks,
    procedureChunks,
    bytes,
    generator: GENERATOR_VERSION,
    chunker: CHUNKER_VERSION,
    sourceHash: vocab.sourceHash,
    sources: vocab.sources.length,
    externalLegal: vocab.sources.some((s) => !s.startsWith('corpus')),
    seconds: (Date.now() - started) / 1000,
    cached: false,
  };
  writeFileSync(markerPath, JSON.stringify(info, null, 2));
  return info;
}

// ---------------------------------------------------------------------------------------------------------------
// PDFs (pdfkit), for the PDF loader's pages/s

export function findFont(repoRoot: string = process.cwd()): string | undefined {
  return [
    path.join(repoRoot, 'test/fixtures/fonts/DejaVuSans.ttf'),
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  ].find((f) => existsSync(f));
}

export interface PdfSet {
  dir: string;
  files: string[];
  pages: number;
  font: string;
  cached: boolean;
}

/** `count` legal PDFs of `pagesEach` A4 pages each, Markov text in the DejaVu font (Vietnamese glyphs). */
export async function generatePdfs(opts: {
  root: string;
  count: number;
  pagesEach: number;
  seed?: number;
  repoRoot?: string;
  externalDir?: string;
  fresh?: boolean;
}): Promise<PdfSet | undefined> {
  const font = findFont(opts.repoRoot);
  if (!font) return undefined;
  const seed = opts.seed ?? DEFAULT_SEED;
  const vocab = loadVocabulary(opts.repoRoot ?? process.cwd(), opts.externalDir ?? EXTERNAL_LEGAL_DIR);
  const dir = path.join(
    opts.root,
    `pdf-${opts.count}x${opts.pagesEach}-s${seed}-${vocab.sourceHash}-g${GENERATOR_VERSION}`,
  );
  const markerPath = path.join(dir, MARKER);
  if (!opts.fresh && existsSync(markerPath)) {
    const m = JSON.parse(readFileSync(markerPath, 'utf8')) as { files: string[]; pages: number };
    if (m.files.every((f) => existsSync(path.join(dir, f))))
      return { dir, files: m.files.map((f) => path.join(dir, f)), pages: m.pages, font, cached: true };
  }
  rmSync(dir, { recursive: true, force: true });
  pruneStale(opts.root, `pdf-${opts.count}x${opts.pagesEach}-s${seed}-`, dir);
  mkdirSync(dir, { recursive: true });
  const { default: PDFDocument } = await import('pdfkit');
  const gen = new CorpusGenerator(vocab, seed ^ 0x5f3759df);
  const files: string[] = [];
  let pages = 0;
  for (let i = 0; i < opts.count; i++) {
    const { number, type } = gen.docNumber();
    const title = `${type.prefix} ${number} quy định chi tiết về ${gen.rng.pick(vocab.topics)}`;
    const name = `${String(i + 1).padStart(2, '0')}-${slug(number)}.pdf`;
    const doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      info: { Title: title, CreationDate: new Date(Date.UTC(2025, 0, 1)) },
    });
    const out = createWriteStream(path.join(dir, name));
    const done = new Promise<void>((resolve, reject) => {
      out.on('finish', () => resolve());
      out.on('error', reject);
    });
    doc.pipe(out);
    doc.registerFont('body', font);
    doc.font('body');
    let pageCount = 1;
    doc.on('pageAdded', () => pageCount++);
    doc.fontSize(14).text(title.toUpperCase(), { align: 'center' }).moveDown();
    doc.fontSize(11);
    let art = 0;
    for (;;) {
      const text = gen
        .legal()
        .body.split('\n')
        .filter((l) => !l.startsWith('#'));
      for (const line of text) {
        if (line.startsWith('Điều ')) art++;
        doc.text(line.replace(/^Điều \d+\./, `Điều ${art}.`));
        if (pageCount >= opts.pagesEach) break;
      }
      if (pageCount >= opts.pagesEach) break;
    }
    // Fill the last page a little more, then stop before pdfkit adds another one.
    doc.end();
    await done;
    files.push(name);
    pages += pageCount;
  }
  writeFileSync(markerPath, JSON.stringify({ files, pages, font }, null, 2));
  return { dir, files: files.map((f) => path.join(dir, f)), pages, font, cached: false };
}

/** Total bytes of the files under dir. */
export function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------------------

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const target = Number(arg('--chunks') ?? 10_000);
  const seed = Number(arg('--seed') ?? DEFAULT_SEED);
  const root = path.resolve(arg('--out') ?? 'data/bench');
  if (!Number.isInteger(target) || target <= 0) throw new Error('--chunks needs a positive integer');
  const info = generateCorpus({
    target,
    seed,
    root,
    fresh: argv.includes('--fresh'),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  console.log(JSON.stringify(info, null, 2));
  const pdfPages = arg('--pdf-pages');
  if (pdfPages) {
    const set = await generatePdfs({
      root,
      count: 4,
      pagesEach: Number(pdfPages),
      seed,
      fresh: argv.includes('--fresh'),
    });
    console.log(set ? JSON.stringify(set, null, 2) : 'no DejaVuSans.ttf found: PDFs skipped');
  }
}
