import { fold, typeFromNumber, typeFromTitle } from '../text';
import { detectDocNumber } from './detect';
import { parseDate } from './metadata';
import type { DocMeta } from './types';
import type { Line } from './types';

/*
 * What a legal text states about itself in its first lines, for documents without metadata: the number
 * ("Luật số 68/2020/QH14", "Số: 12/2025/QĐ-UBND"), the title line, and dated phrases ("thông qua ngày 13/11/2020",
 * "hiệu lực từ 01/7/2021", "hết hiệu lực từ 01/3/2025", "được thay thế bởi Luật số 72/2025/QH15"). Only the header
 * is read: a closing "Điều … Hiệu lực thi hành" may have been amended since, and metadata is the place to say so.
 */

const HEADER_LINES = 12;
const HEADER_CHARS = 2500;

const DATE = String.raw`(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})`;
const EFFECTIVE = new RegExp(
  String.raw`(?:có\s+)?hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:kể\s+)?từ\s+(?:ngày\s+)?${DATE}`,
  'iu',
);
const EXPIRED = new RegExp(
  String.raw`hết\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:kể\s+)?(?:từ\s+)?(?:ngày\s+)?${DATE}`,
  'iu',
);
const ISSUED = new RegExp(
  String.raw`(?:thông\s+qua|ban\s+hành|ký)\s+(?:ngày\s+)?${DATE}|(?:^|[\s,(])ngày\s+${DATE}`,
  'iu',
);
const REPLACED = /(?:được|bị)\s+thay\s+thế\s+(?:bởi|bằng)\s+([^;,()]+)/iu;
const AMENDED = /(?:được|đã được)\s+sửa\s+đổi,?\s+bổ\s+sung\s+(?:bởi|bằng|theo)\s+([^;()]+)/iu;
/** "Quốc hội ban hành", "của Chính phủ", "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK" (the issuer line of a local decision). */
const ISSUER_PHRASE =
  /(Quốc hội|Thủ tướng Chính phủ|Chính phủ)\s+(?:ban hành|thông qua)|của (Thủ tướng Chính phủ|Chính phủ)\b/u;
const LOCAL_ISSUER =
  /^(?:ỦY|UỶ|Ủy|Uỷ) BAN NHÂN DÂN ((?:TỈNH|THÀNH PHỐ|XÃ|PHƯỜNG|ĐẶC KHU) [\p{Lu} -]+)$|^HỘI ĐỒNG NHÂN DÂN ((?:TỈNH|THÀNH PHỐ|XÃ|PHƯỜNG|ĐẶC KHU) [\p{Lu} -]+)$/u;
/** Header lines that are never the title: the national motto, the number and place-date lines. */
const NOT_TITLE = /^(CỘNG HÒA|CỘNG HOÀ|Độc lập|ĐỘC LẬP|Số\s*:|-{3,})|,\s*ngày\s+\d/u;

const capitalise = (s: string) =>
  s.toLowerCase().replace(/(^|\s)(\p{L})/gu, (_m, sp: string, c: string) => sp + c.toUpperCase());

/** Issuing body from the number's suffix when the header does not name it. */
function issuerFromNumber(n: string): string | undefined {
  if (/\/QH\d+$/.test(n)) return 'Quốc hội';
  if (/(NĐ|NQ)-CP$/.test(n)) return 'Chính phủ';
  if (/-TTg$/.test(n)) return 'Thủ tướng Chính phủ';
  return undefined;
}

const date = (s: string | undefined) => (s ? (parseDate(s.replace(/\s+/g, ' ')) ?? undefined) : undefined);

/**
 * The title line: "Luật số 68/2020/QH14 — LUẬT CƯ TRÚ (…)" without its parenthesis, or a type line ("QUYẾT ĐỊNH")
 * with the subject line after it ("Về việc …"); never the issuer, motto, number or place-date lines.
 */
function detectTitleLine(header: string[]): string | undefined {
  const lines = header.map((l) => l.replace(/^#+\s*/, '').trim());
  const at = lines.findIndex((l) => typeFromTitle(l) && !NOT_TITLE.test(l));
  let title: string | undefined;
  if (at >= 0) {
    const type = typeFromTitle(lines[at])!;
    const next = lines[at + 1];
    title =
      fold(lines[at]) === fold(type) && next && !/^Căn cứ/u.test(next)
        ? `${type} ${next[0].toLowerCase()}${next.slice(1)}`
        : lines[at];
  } else {
    title = lines.find((l) => l.length >= 8 && !NOT_TITLE.test(l) && !LOCAL_ISSUER.test(l));
  }
  return (
    title
      ?.replace(/\s*\([^)]*\)\s*$/, '')
      .slice(0, 160)
      .trim() || undefined
  );
}

export function detectMeta(lines: Line[]): DocMeta {
  const header: string[] = [];
  let chars = 0;
  for (const l of lines) {
    if (!l.text) continue;
    if (header.length >= HEADER_LINES || chars > HEADER_CHARS || /^(?:#{1,6}\s*)?Điều\s+\d+/u.test(l.text)) break;
    header.push(l.text);
    chars += l.text.length;
  }
  const text = header.join('\n');
  const meta: DocMeta = {};
  const num = detectDocNumber(text);
  if (num) meta.docNumber = num;
  meta.title = detectTitleLine(header);
  // Dated phrases, clause by clause: "(Quốc hội thông qua ngày 13/11/2020; hiệu lực từ 01/7/2021; …)".
  for (const clause of text.split(/[;\n]|\)\s*|\(\s*/)) {
    if (/^\s*Căn cứ/u.test(clause)) continue;
    const exp = EXPIRED.exec(clause);
    if (exp) {
      meta.expiredFrom ??= date(exp[1]);
      meta.status = 'repealed';
      continue;
    }
    const eff = EFFECTIVE.exec(clause);
    if (eff) {
      meta.effectiveFrom ??= date(eff[1]);
      continue;
    }
    const rep = REPLACED.exec(clause);
    if (rep) {
      meta.replacedBy = detectDocNumber(rep[1]) ?? rep[1].trim();
      meta.status = 'repealed';
      continue;
    }
    const am = AMENDED.exec(clause);
    if (am) {
      const refs = [...am[1].matchAll(/\S+/g)].map((m) => detectDocNumber(m[0])).filter((x): x is string => Boolean(x));
      if (refs.length) meta.amendedBy = refs;
      meta.status ??= 'amended';
      continue;
    }
    const iss = ISSUED.exec(clause);
    if (iss) meta.issued ??= date(iss[1] ?? iss[2]);
  }
  const local = header.map((l) => LOCAL_ISSUER.exec(l)).find(Boolean);
  const phrase = ISSUER_PHRASE.exec(text);
  meta.issuer =
    (meta.docNumber && issuerFromNumber(meta.docNumber)) ||
    (phrase && (phrase[1] ?? phrase[2])) ||
    (local &&
      `${local[1] ? 'Ủy ban nhân dân' : 'Hội đồng nhân dân'} ${capitalise(local[1] ?? local[2]).replace(/^(Tỉnh|Thành Phố|Xã|Phường|Đặc Khu) /u, (w) => w.toLowerCase())}`) ||
    undefined;
  meta.docType =
    (meta.title && typeFromTitle(meta.title)) || (meta.docNumber && typeFromNumber(meta.docNumber)) || undefined;
  for (const k of Object.keys(meta) as (keyof DocMeta)[]) if (meta[k] === undefined) delete meta[k];
  return meta;
}
