import {
  type Button,
  type ButtonAction,
  type Chunk,
  type Citation,
  formatCitation,
  type Outgoing,
  CARD_FIELDS,
  PROCEDURE_SECTIONS,
} from '../domain';
import { cutAtWord, matchKey } from '../text';
import { encodeAction, MAX_ACTION_BYTES } from './actions';
import { msg } from './messages';

/** What the catalog needs from the retriever: its loaded index. */
export interface CatalogSource {
  index: { chunks: Chunk[] };
}

export interface Procedure {
  docId: string;
  title: string;
  field: string;
  citation: Citation;
  chunks: Chunk[];
}

export interface Field {
  name: string;
  procedures: Procedure[];
}

const OTHER_FIELD = 'Khác';
const collator = new Intl.Collator('vi');

const MAX_LINE_CHARS = 240;

/**
 * The catalog field of a procedure: the first of its fields ("Hộ tịch, cư trú, bảo hiểm y tế" -> "Hộ tịch"), so
 * inter-agency procedures sit with their lead field instead of making "Hộ tịch" appear in three variants.
 */
export function primaryField(raw: string | undefined): string {
  const first = (raw ?? '').normalize('NFC').split(/[,;/]/)[0].replace(/\s+/g, ' ').trim();
  return first ? first[0].toLocaleUpperCase('vi') + first.slice(1) : OTHER_FIELD;
}

/** Procedures grouped by field (frontmatter linh_vuc), built from the procedure chunks of the index. */
export class ProcedureCatalog {
  readonly fields: Field[];
  private readonly byId = new Map<string, Procedure>();
  private readonly all: Procedure[];

  constructor(chunks: Chunk[]) {
    for (const c of chunks) {
      if (c.citation.kind !== 'procedure') continue;
      let p = this.byId.get(c.citation.docId);
      if (!p) {
        p = {
          docId: c.citation.docId,
          title: c.citation.title,
          field: primaryField(c.citation.field),
          citation: c.citation,
          chunks: [],
        };
        this.byId.set(p.docId, p);
      }
      p.chunks.push(c);
    }
    this.all = [...this.byId.values()].sort((a, b) => collator.compare(a.title, b.title));
    // Grouped case- and diacritic-insensitively ("hộ tịch", "Hộ Tịch"); the first spelling seen names the group.
    const groups = new Map<string, Procedure[]>();
    const names = new Map<string, string>();
    for (const p of this.all) {
      const key = matchKey(p.field);
      if (!names.has(key)) names.set(key, p.field);
      p.field = names.get(key)!;
      groups.set(p.field, [...(groups.get(p.field) ?? []), p]);
    }
    this.fields = [...groups]
      .map(([name, procedures]) => ({ name, procedures }))
      .sort((a, b) => (a.name === OTHER_FIELD ? 1 : b.name === OTHER_FIELD ? -1 : collator.compare(a.name, b.name)));
  }

  /** The action that opens a procedure's card: by id, or by position when the id is too long for a button. */
  procedureAction(p: Procedure): ButtonAction {
    const byId: ButtonAction = { type: 'procedure', docId: p.docId };
    return Buffer.byteLength(encodeAction(byId)) <= MAX_ACTION_BYTES
      ? byId
      : { type: 'procedure-at', index: this.all.indexOf(p) };
  }

  /** The action that opens one section of a procedure ("Lệ phí" of "Đăng ký khai sinh"), or its card. */
  suggestionAction(docId: string, section?: string): ButtonAction | undefined {
    const p = this.byId.get(docId);
    if (!p) return undefined;
    const s = section ? PROCEDURE_SECTIONS.indexOf(section) : -1;
    return s >= 0 ? { type: 'section', procedure: this.all.indexOf(p), section: s } : this.procedureAction(p);
  }

  /** The procedure an action opens (its card or a section), for the conversation topic. */
  procedureOf(a: ButtonAction): Procedure | undefined {
    if (a.type === 'procedure') return this.byId.get(a.docId);
    if (a.type === 'procedure-at') return this.all[a.index];
    if (a.type === 'section') return this.all[a.procedure];
    return undefined;
  }

  /** The reply to a catalog action, or undefined when it is stale (the index changed) or not the catalog's. */
  handle(a: ButtonAction): Outgoing | undefined {
    switch (a.type) {
      case 'catalog':
        return this.home();
      case 'field': {
        const field = this.fields[a.field];
        return field ? this.field(field) : undefined;
      }
      case 'section': {
        const p = this.all[a.procedure];
        const s = PROCEDURE_SECTIONS[a.section];
        return p && s ? this.section(p, s) : undefined;
      }
      case 'procedure':
      case 'procedure-at': {
        const p = this.procedureOf(a);
        return p ? this.card(p) : undefined;
      }
      default:
        return undefined;
    }
  }

  home(): Outgoing {
    if (this.fields.length === 0) return { text: msg.catalogEmpty };
    const buttons: Button[] = this.fields.map((f, i) => ({
      text: `${f.name} (${f.procedures.length})`,
      action: { type: 'field', field: i },
    }));
    return { text: msg.catalogHeader, buttons: rows(buttons, 2) };
  }

  field(f: Field): Outgoing {
    const buttons: Button[][] = f.procedures.map((p) => [{ text: p.title, action: this.procedureAction(p) }]);
    buttons.push([{ text: msg.backToFields, action: { type: 'catalog' } }]);
    return { text: msg.catalogField(f.name, f.procedures.length), buttons };
  }

  section(p: Procedure, name: string): Outgoing {
    return sectionReply(p, name) ?? this.card(p);
  }

  card(p: Procedure): Outgoing {
    const lines = [`📋 ${p.title}`, `Lĩnh vực: ${p.field}`];
    const used: Citation[] = [];
    for (const s of CARD_FIELDS.map((f) => ({ ...f, name: f.section }))) {
      const chunks = p.chunks.filter((c) => c.citation.section && matchKey(c.citation.section) === matchKey(s.name));
      if (chunks.length === 0) continue;
      used.push(chunks[0].citation);
      const body = sectionBody(chunks, s.name, s.lines);
      if (body.length === 0) continue;
      lines.push('');
      if (body.length === 1 && !body[0].startsWith('- ')) lines.push(`${s.icon} ${s.name}: ${body[0]}`);
      else lines.push(`${s.icon} ${s.name}:`, ...body);
    }
    const { section: _section, ...doc } = p.citation;
    lines.push('', `Nguồn: ${formatCitation(doc)}`);
    if (p.citation.url) lines.push(p.citation.url);
    lines.push('', msg.cardAsk);
    const fieldIndex = this.fields.findIndex((f) => f.name === p.field);
    return {
      text: lines.join('\n'),
      citations: used.length ? used : [p.citation],
      buttons: [
        [
          { text: `« ${p.field}`, action: { type: 'field', field: fieldIndex } },
          { text: msg.backToFields, action: { type: 'catalog' } },
        ],
      ],
    };
  }
}

/** One section of a procedure, chosen from a clarifying question ("lệ phí của thủ tục nào?"). */
function sectionReply(p: Procedure, name: string): Outgoing | undefined {
  const chunks = p.chunks.filter((c) => c.citation.section && matchKey(c.citation.section) === matchKey(name));
  if (!chunks.length) return undefined;
  const lines = [
    `${p.title} — ${name.toLowerCase()}:`,
    ...sectionBody(chunks, name, 10),
    '',
    `Nguồn: ${formatCitation(chunks[0].citation)}`,
    '',
    msg.cardAsk,
  ];
  return { text: lines.join('\n'), citations: [chunks[0].citation] };
}

/** The first lines of a section, without its heading line, each at most MAX_LINE_CHARS. */
function sectionBody(chunks: Chunk[], heading: string, maxLines: number): string[] {
  const all = chunks
    .flatMap((c) => c.text.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l !== '' && matchKey(l) !== matchKey(heading));
  const out = all
    .slice(0, maxLines)
    .map((l) => (l.length > MAX_LINE_CHARS ? `${cutAtWord(l, MAX_LINE_CHARS).replace(/[,;:\s]+$/, '')}…` : l));
  if (all.length > maxLines) out.push('…');
  return out;
}

function rows<T>(items: T[], perRow: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += perRow) out.push(items.slice(i, i + perRow));
  return out;
}

/** Caches the catalog for the retriever's current index (rebuilt when the index is replaced). */
export function catalogFor(source: CatalogSource): () => ProcedureCatalog {
  let cached: { chunks: Chunk[]; catalog: ProcedureCatalog } | undefined;
  return () => {
    const chunks = source.index.chunks;
    if (!cached || cached.chunks !== chunks) cached = { chunks, catalog: new ProcedureCatalog(chunks) };
    return cached.catalog;
  };
}
