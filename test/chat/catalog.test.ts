// /thutuc groups procedures by their lead field, one "Hộ tịch" whatever the spelling or the extra fields.
import { describe, expect, it } from 'vitest';
import { primaryField, ProcedureCatalog } from '../../src/chat/catalog';
import type { Chunk } from '../../src/domain/corpus';

const proc = (docId: string, title: string, field?: string): Chunk => ({
  id: `${docId}#0`,
  text: title,
  headingPath: [],
  citation: { docId, title, source: `${docId}.md`, kind: 'procedure', field },
});

describe('procedure catalog fields', () => {
  it('uses the first field, capitalised', () => {
    expect(primaryField('Hộ tịch, cư trú, bảo hiểm y tế')).toBe('Hộ tịch');
    expect(primaryField('hộ tịch; chứng thực')).toBe('Hộ tịch');
    expect(primaryField('  ')).toBe('Khác');
    expect(primaryField(undefined)).toBe('Khác');
  });

  it('groups variants of a field into one, other fields apart, "Khác" last', () => {
    const cat = new ProcedureCatalog([
      proc('khai-sinh', 'Đăng ký khai sinh', 'Hộ tịch'),
      proc('trich-luc', 'Cấp bản sao trích lục hộ tịch', 'Hộ tịch, chứng thực'),
      proc('lien-thong', 'Liên thông khai sinh, thường trú, BHYT', 'Hộ tịch, cư trú, bảo hiểm y tế'),
      proc('ket-hon', 'Đăng ký kết hôn', 'hộ tịch'),
      proc('tam-tru', 'Đăng ký tạm trú', 'Cư trú'),
      proc('giam-ho', 'Đăng ký giám hộ'),
    ]);
    expect(cat.fields.map((f) => [f.name, f.procedures.length])).toEqual([
      ['Cư trú', 1],
      ['Hộ tịch', 4],
      ['Khác', 1],
    ]);
  });
});
