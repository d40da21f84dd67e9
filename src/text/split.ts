/** Splits `text` into pieces whose measured size is at most `limit`: at paragraph boundaries, then lines, then a hard cut. */
export function splitMessage(text: string, limit: number, measure: (s: string) => number = (s) => s.length): string[] {
  if (limit < 1) throw new RangeError('limit must be positive');
  return splitLevel(text.trim(), limit, measure, 0)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

const SEPARATORS = ['\n\n', '\n'];

function splitLevel(text: string, limit: number, measure: (s: string) => number, level: number): string[] {
  if (measure(text) <= limit) return [text];
  if (level >= SEPARATORS.length) return hardCut(text, limit, measure);
  const sep = SEPARATORS[level];
  const parts = level === 0 ? text.split(/\n[ \t]*\n+/) : text.split('\n');
  const out: string[] = [];
  let cur = '';
  for (const part of parts) {
    if (measure(part) > limit) {
      if (cur) out.push(cur);
      cur = '';
      out.push(...splitLevel(part, limit, measure, level + 1));
      continue;
    }
    const candidate = cur ? cur + sep + part : part;
    if (measure(candidate) <= limit) {
      cur = candidate;
    } else {
      if (cur) out.push(cur);
      cur = part;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Cuts by code points (never inside a surrogate pair), preferring the last space of each piece. */
function hardCut(text: string, limit: number, measure: (s: string) => number): string[] {
  const out: string[] = [];
  let rest = Array.from(text);
  while (rest.length > 0 && measure(rest.join('')) > limit) {
    let lo = 1;
    let hi = rest.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (measure(rest.slice(0, mid).join('')) <= limit) lo = mid;
      else hi = mid - 1;
    }
    let n = lo;
    const space = rest.slice(0, n).lastIndexOf(' ');
    if (space > n / 2) n = space + 1;
    out.push(rest.slice(0, n).join('').trimEnd());
    rest = Array.from(rest.slice(n).join('').trimStart());
  }
  if (rest.length > 0) out.push(rest.join(''));
  return out;
}
