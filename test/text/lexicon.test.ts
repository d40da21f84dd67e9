// The everyday -> legal lexicon (src/text/lexicon.json) as loaded by src/text/synonyms.ts, and the data itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandAbbreviations, expansions, loadSynonyms, weightedExpansions } from '../../src/text/synonyms';
import { fold } from '../../src/text/normalize';

const LEXICON_URL = new URL('../../src/text/lexicon.json', import.meta.url);
const SYNONYMS_URL = new URL('../../src/text/synonyms.json', import.meta.url);

const dict = loadSynonyms();
/** The same dictionary without the lexicon: what synonyms.json alone does. */
const withoutLexicon = loadSynonyms(SYNONYMS_URL, null);

describe("lexicon expansion (everyday words -> the law's terms)", () => {
  it.each([
    ['nghỉ đẻ được mấy tháng', ['thai sản', 'nghỉ thai sản', 'chế độ thai sản']],
    ['nghi de duoc may thang', ['thai sản', 'nghỉ thai sản']],
    ['bỏ vợ cần thủ tục gì', ['ly hôn', 'thuận tình ly hôn']],
    ['bị đuổi việc có được bồi thường không', ['sa thải', 'đơn phương chấm dứt hợp đồng lao động']],
    ['cắt hộ khẩu cho người đã mất', ['xóa đăng ký thường trú']],
    ['đất thổ cư được xây bao nhiêu', ['đất ở']],
  ])('"%s" is also searched as %j', (q, legal) => {
    const out = expansions(q, dict);
    for (const term of legal) expect(out).toContain(term);
    // It is the lexicon that adds them.
    for (const term of legal) expect(expansions(q, withoutLexicon)).not.toContain(term);
  });

  it.each([
    ['nghỉ thai sản được mấy tháng', 'nghỉ đẻ'],
    ['thuận tình ly hôn cần giấy tờ gì', 'bỏ vợ'],
    ['sa thải người lao động', 'đuổi việc'],
    ['xóa đăng ký thường trú', 'cắt hộ khẩu'],
  ])('the legal side alone ("%s") does not bring in the everyday words ("%s")', (q, everyday) => {
    const out = expansions(q, dict);
    expect(out.some((p) => fold(p).includes(fold(everyday)))).toBe(false);
  });

  it('does not repeat what the question already says, and shares one weight across a group', () => {
    const out = weightedExpansions('nghỉ đẻ và chế độ thai sản', dict);
    expect(out.map((e) => e.phrase)).not.toContain('chế độ thai sản');
    expect(out.map((e) => e.phrase)).toContain('nghỉ thai sản');
    for (const e of out) {
      expect(e.share).toBeGreaterThan(0);
      expect(e.share).toBeLessThanOrEqual(1);
    }
  });

  it('keeps typed accents apart: "nghỉ để chăm con" is not "nghỉ đẻ", while unaccented "nghi de" is', () => {
    expect(expansions('nghỉ để chăm con ốm', dict)).not.toContain('thai sản');
    expect(expansions('nghi de cham con', dict)).toContain('thai sản');
  });

  it("expands the lexicon's chat abbreviations word by word", () => {
    expect(expandAbbreviations('nld nghỉ việc có được tctv không', dict)).toBe(
      'người lao động nghỉ việc có được trợ cấp thôi việc không',
    );
    expect(expandAbbreviations('thủ tục dkkh', dict)).toBe('thủ tục đăng ký kết hôn');
    expect(expandAbbreviations('NLD đóng BHTN', dict)).toBe('người lao động đóng bảo hiểm thất nghiệp');
    // Only whole words: "nld" inside a longer word stays.
    expect(expandAbbreviations('nldx', dict)).toBe('nldx');
    // Without the lexicon these are unknown.
    expect(expandAbbreviations('nld', withoutLexicon)).toBe('nld');
  });

  it('expands chat spellings of everyday words', () => {
    expect(expandAbbreviations('nghỉ phép năm đc bao nhiu ngày z', dict)).toBe('nghỉ phép năm được bao nhiêu ngày vậy');
    expect(expandAbbreviations('ly hôn trc khi vk sinh con thì ck cx phải cấp dưỡng', dict)).toBe(
      'ly hôn trước khi vợ sinh con thì chồng cũng phải cấp dưỡng',
    );
  });

  it('reads "mn" as mầm non only after a word of schooling, else as the chat "mọi người"', () => {
    expect(expandAbbreviations('thành lập trường mn tư thục', dict)).toBe('thành lập trường mầm non tư thục');
    expect(expandAbbreviations('giáo viên mn được phụ cấp gì', dict)).toBe('giáo viên mầm non được phụ cấp gì');
    expect(expandAbbreviations('nghỉ đẻ được mấy tháng vậy mn', dict)).toBe('nghỉ đẻ được mấy tháng vậy mọi người');
    expect(expandAbbreviations('mn ơi cho hỏi', dict)).toBe('mọi người ơi cho hỏi');
  });
});

describe('lexicon.json (data)', () => {
  const raw = readFileSync(LEXICON_URL, 'utf8');
  const data = JSON.parse(raw) as {
    groups: { field: string; everyday: string[]; legal: string[] }[];
    abbreviations: Record<string, string>;
  };
  const synonyms = JSON.parse(readFileSync(SYNONYMS_URL, 'utf8')) as { abbreviations?: Record<string, string> };
  const key = (p: string) =>
    fold(p)
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();

  it('has a valid shape: groups of a field, everyday and legal phrases; abbreviations as strings', () => {
    expect(Array.isArray(data.groups)).toBe(true);
    expect(data.groups.length).toBeGreaterThan(50);
    for (const [i, g] of data.groups.entries()) {
      expect(Object.keys(g).sort(), `group ${i}`).toEqual(['everyday', 'field', 'legal']);
      expect(typeof g.field === 'string' && g.field.trim().length > 0, `group ${i} field`).toBe(true);
      for (const p of [...g.everyday, ...g.legal]) {
        expect(typeof p, `group ${i}`).toBe('string');
        expect(p.trim(), `group ${i}: "${p}"`).toBe(p);
        expect(key(p).length, `group ${i}: "${p}" has words`).toBeGreaterThan(0);
      }
    }
    expect(typeof data.abbreviations).toBe('object');
    for (const [k, v] of Object.entries(data.abbreviations)) {
      expect(k, 'abbreviation keys are folded lower-case shorthand').toMatch(/^[a-z0-9]+$/);
      expect(typeof v === 'string' && v.trim().length > k.length, `abbreviation ${k}`).toBe(true);
    }
  });

  it('every group has both sides', () => {
    for (const [i, g] of data.groups.entries()) {
      expect(g.everyday.length, `group ${i} (${g.legal[0]}) everyday`).toBeGreaterThan(0);
      expect(g.legal.length, `group ${i} (${g.everyday[0]}) legal`).toBeGreaterThan(0);
    }
  });

  it('is NFC throughout', () => {
    expect(raw.normalize('NFC')).toBe(raw);
  });

  it('covers the fields a commune handles', () => {
    const fields = new Set(data.groups.map((g) => g.field));
    for (const f of [
      'hộ tịch',
      'cư trú',
      'căn cước',
      'đất đai',
      'xây dựng',
      'lao động',
      'bảo hiểm xã hội',
      'hôn nhân và gia đình',
      'đăng ký kinh doanh',
      'trợ cấp xã hội',
    ]) {
      expect(fields.has(f), f).toBe(true);
    }
  });

  it('no everyday phrase is repeated across groups (compared without accents), nor used as a legal term', () => {
    const owner = new Map<string, number>();
    const dups: string[] = [];
    data.groups.forEach((g, i) => {
      for (const p of g.everyday) {
        const k = key(p);
        const prev = owner.get(k);
        if (prev !== undefined && prev !== i) dups.push(`"${p}" in groups ${prev} and ${i}`);
        owner.set(k, i);
      }
    });
    expect(dups).toEqual([]);
    // A legal term that were also an everyday phrase would make the law's own words trigger an expansion.
    const legal = new Set(data.groups.flatMap((g) => g.legal.map((p) => p.toLowerCase())));
    expect(data.groups.flatMap((g) => g.everyday).filter((p) => legal.has(p.toLowerCase()))).toEqual([]);
  });

  it('no phrase repeats inside a group', () => {
    for (const [i, g] of data.groups.entries()) {
      const all = [...g.everyday, ...g.legal].map((p) => p.toLowerCase());
      expect(new Set(all).size, `group ${i}`).toBe(all.length);
    }
  });

  it('adds only abbreviations synonyms.json does not already have', () => {
    const existing = new Set(Object.keys(synonyms.abbreviations ?? {}).map((k) => fold(k)));
    expect(Object.keys(data.abbreviations).filter((k) => existing.has(fold(k)))).toEqual([]);
  });
});
