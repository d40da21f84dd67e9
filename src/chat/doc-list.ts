import {
  currentReplacement,
  docLabel,
  type DocumentInfo,
  refLabel,
  todayIso,
  type Validity,
  validityNow,
  viDate,
} from '../domain';
import { matchKey } from '../text';
import { msg } from './messages';

/** Arguments of /nguon that ask for the whole document list rather than the last answer's sources. */
const ALL_WORDS = new Set(['tatca', 'tat ca', 'all', 'danh sach', 'vanban', 'van ban']);

export function wantsDocumentList(args: string): boolean {
  return ALL_WORDS.has(matchKey(args));
}

const GROUPS: { validity: Validity[]; heading: string }[] = [
  { validity: ['in-force'], heading: 'Còn hiệu lực' },
  { validity: ['amended'], heading: 'Còn hiệu lực, đã được sửa đổi, bổ sung' },
  { validity: ['not-yet'], heading: 'Chưa có hiệu lực' },
  { validity: ['repealed'], heading: 'Hết hiệu lực' },
  { validity: ['unknown'], heading: 'Chưa ghi tình trạng (xem ngày hiệu lực)' },
];

/** One line about a document: its name and number, dates, and what replaced or amended it. */
function documentLine(d: DocumentInfo, docs: DocumentInfo[], today: string): string {
  const name = d.docNumber && !d.title.includes(d.docNumber) ? `${d.title} (${d.docNumber})` : d.title;
  const facts: string[] = [];
  if (d.issued) facts.push(`ban hành ${viDate(d.issued)}`);
  if (d.effectiveFrom) facts.push(`hiệu lực từ ${viDate(d.effectiveFrom)}`);
  else if (d.docNumber) facts.push('ngày hiệu lực: chưa rõ');
  const v = validityNow(d, today);
  if (d.expiredFrom)
    facts.push(`${v === 'repealed' ? 'hết hiệu lực từ' : 'áp dụng đến trước'} ${viDate(d.expiredFrom)}`);
  if (d.replacedBy) {
    const now = currentReplacement(d, docs, today);
    const by = refLabel(docs, d.replacedBy);
    facts.push(`thay thế bởi ${by}${now && now !== d.replacedBy ? `; hiện áp dụng ${refLabel(docs, now)}` : ''}`);
  }
  if (d.amendedBy?.length) facts.push(`sửa đổi, bổ sung bởi ${d.amendedBy.map((r) => refLabel(docs, r)).join(', ')}`);
  return `${name}${facts.length ? ` — ${facts.join('; ')}` : ''}`;
}

/**
 * The /nguon tatca reply: the legal documents of the corpus grouped by validity today, optionally filtered by words
 * of their name or number ("/nguon đất đai"), then a line counting procedures and news.
 */
export function formatDocumentList(docs: DocumentInfo[], filter = '', now: Date = new Date()): string {
  const today = todayIso(now);
  const legal = docs.filter((d) => d.kind === 'regulation');
  const key = matchKey(filter);
  const shown = key
    ? legal.filter((d) => matchKey(`${d.title} ${d.docNumber ?? ''} ${docLabel(d)}`).includes(key))
    : legal;
  if (!shown.length) return key ? msg.noDocumentMatch(filter) : msg.noDocuments;
  const lines = [key ? msg.documentsMatching(filter, shown.length) : msg.documentsHeader(shown.length)];
  const collator = new Intl.Collator('vi');
  for (const g of GROUPS) {
    const inGroup = shown
      .filter((d) => g.validity.includes(validityNow(d, today)))
      .sort((a, b) => collator.compare(a.title, b.title));
    if (!inGroup.length) continue;
    lines.push('', `${g.heading}:`);
    for (const d of inGroup) lines.push(`• ${documentLine(d, docs, today)}`);
  }
  if (!key) {
    const procedures = docs.filter((d) => d.kind === 'procedure').length;
    const news = docs.filter((d) => d.kind === 'news').length;
    lines.push('', msg.documentsFooter(procedures, news));
  }
  return lines.join('\n');
}
