// Times are stored as UTC epoch milliseconds and shown in Vietnam time.

const TIME_ZONE = 'Asia/Ho_Chi_Minh';

interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function localParts(ms: number): LocalParts {
  const p: Record<string, number> = {};
  for (const part of partsFormatter.formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "09:02" */
export function formatHm(ms: number): string {
  const p = localParts(ms);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** "21/11/2025" */
export function formatDate(ms: number): string {
  const p = localParts(ms);
  return `${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/** "21/11/2025 09:02" */
export function formatDateTime(ms: number): string {
  return `${formatDate(ms)} ${formatHm(ms)}`;
}

/** "21/11/2025 09:02:07", used in exports. */
export function formatDateTimeSeconds(ms: number): string {
  const p = localParts(ms);
  return `${formatDate(ms)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

function sameLocalDay(a: number, b: number): boolean {
  return formatDate(a) === formatDate(b);
}

/** "09:30 hôm nay", or "00:15 ngày 22/11/2025" when `ms` is not on the same local day as `nowMs`. */
export function formatWhen(ms: number, nowMs: number): string {
  return sameLocalDay(ms, nowMs) ? `${formatHm(ms)} hôm nay` : `${formatHm(ms)} ngày ${formatDate(ms)}`;
}

/** HH:MM when on the day of `nowMs`, otherwise "HH:MM dd/mm/yyyy". */
export function formatHmMaybeDate(ms: number, nowMs: number): string {
  return sameLocalDay(ms, nowMs) ? formatHm(ms) : `${formatHm(ms)} ${formatDate(ms)}`;
}

export interface DateOnly {
  year: number;
  month: number;
  day: number;
}

/** Parses "dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy" or "yyyy-mm-dd". Null when not a real date. */
export function parseDateArg(s: string): DateOnly | null {
  const t = s.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  let year: number, month: number, day: number;
  if (m) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
    if (!m) return null;
    [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  if (month < 1 || month > 12 || day < 1 || year < 2000 || year > 2200) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** True when the token has the shape of a date (even an impossible one such as 31/02/2025). */
export function looksLikeDate(s: string): boolean {
  return /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})$/.test(s.trim());
}

/** Offset of Vietnam time from UTC at instant `ms`, in ms (+7 h; computed rather than hard-coded). */
function zoneOffsetMs(ms: number): number {
  const p = localParts(ms);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** UTC epoch ms of local midnight starting the given date. */
export function localDayStartMs(d: DateOnly): number {
  const guess = Date.UTC(d.year, d.month - 1, d.day);
  return guess - zoneOffsetMs(guess);
}

/** UTC epoch ms of local midnight ending the given date (exclusive upper bound). */
export function localDayEndMs(d: DateOnly): number {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return localDayStartMs({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() });
}

/** "20251121", for file names. */
export function compactDate(ms: number): string {
  const p = localParts(ms);
  return `${p.year}${pad(p.month)}${pad(p.day)}`;
}

/** The --from / --to options of the CLIs as local day bounds; an unreadable date throws `error(message)`. */
export function dayRangeArgs(
  o: { from?: string; to?: string },
  error: (message: string) => Error,
): { fromMs?: number; toMs?: number } {
  const r: { fromMs?: number; toMs?: number } = {};
  for (const which of ['from', 'to'] as const) {
    const raw = o[which];
    if (raw === undefined) continue;
    const d = parseDateArg(raw);
    if (!d) throw error(`invalid --${which} date "${raw}" (use dd/mm/yyyy or yyyy-mm-dd)`);
    if (which === 'from') r.fromMs = localDayStartMs(d);
    else r.toMs = localDayEndMs(d);
  }
  return r;
}
