import { fold } from './normalize';

/** Document type from a number's suffix (a "QH" number may be a Luật or a Nghị quyết: undefined). */
export function typeFromNumber(n: string): string | undefined {
  if (/\/NĐ-/.test(n)) return 'Nghị định';
  if (/\/TT-/.test(n)) return 'Thông tư';
  if (/\/QĐ-/.test(n)) return 'Quyết định';
  if (/\/NQ-|-NQ\//.test(n)) return 'Nghị quyết';
  if (/\/CT-|-CT\//.test(n)) return 'Chỉ thị';
  return undefined;
}

const TYPES = [
  'Bộ luật',
  'Luật',
  'Nghị định',
  'Nghị quyết',
  'Thông tư liên tịch',
  'Thông tư',
  'Quyết định',
  'Chỉ thị',
  'Pháp lệnh',
  'Kế hoạch',
  'Công văn',
  'Hiến pháp',
];

/** "Luật Cư trú …", "NGHỊ ĐỊNH 145/2020/NĐ-CP" -> the document type the name starts with. */
export function typeFromTitle(title: string): string | undefined {
  const f = fold(title);
  return TYPES.find((t) => f.startsWith(`${fold(t)} `) || f === fold(t));
}
