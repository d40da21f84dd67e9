// Inline SVG bar chart (no script, no CDN): attendance per session. Two drawings of the same data: a wide one
// for screens and a narrow one (fewer, bigger bars and labels) that CSS shows on phones, since an SVG's text
// shrinks with it and a 900-unit chart squeezed into 360 px is unreadable.
import { html } from 'hono/html';
import type { Html } from './types';

interface Bar {
  label: string;
  sublabel: string;
  value: number;
}

interface ChartOptions {
  /** Shown after each value ("%" for rates, "" for counts). */
  unit: string;
  /** Fixed axis maximum (100 for rates); otherwise a round number above the largest value. */
  max?: number;
  /** Tooltip noun after the value: "người" or "có mặt". */
  noun: string;
}

/** Round axis maximum: 1, 2, 5, 10, 20, 50 ... at or above `max`. */
function niceMax(max: number): number {
  if (max <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

interface Geometry {
  W: number;
  H: number;
  left: number;
  bottom: number;
  /** Bars beyond this many are dropped from the left (oldest). */
  maxBars: number;
  cls: string;
}

const WIDE: Geometry = { W: 900, H: 300, left: 52, bottom: 52, maxBars: 24, cls: 'chart wide' };
/** 360 units for a ~360 px phone column: 1 unit is about 1 px, so 13-unit text stays 13 px. */
const NARROW: Geometry = { W: 360, H: 240, left: 46, bottom: 50, maxBars: 7, cls: 'chart narrow' };

function drawing(all: Bar[], title: string, o: ChartOptions, g: Geometry): Html {
  const bars = all.slice(-g.maxBars);
  const { W, H, left, bottom } = g;
  const right = 10;
  const top = 24;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const max = o.max ?? niceMax(Math.max(...bars.map((b) => b.value)));
  const ticks =
    max <= 5 ? Array.from({ length: max + 1 }, (_, i) => i) : [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * max));
  const band = plotW / bars.length;
  const barW = Math.max(4, Math.min(56, band * 0.62));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const showEvery = Math.ceil(bars.length / 12);

  const grid = [...new Set(ticks)].map(
    (t) => html`<line class="grid" x1="${left}" x2="${W - right}" y1="${y(t)}" y2="${y(t)}"></line>
      <text class="tick" x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${t}${o.unit}</text>`,
  );
  const rects = bars.map((b, i) => {
    const cx = left + band * i + band / 2;
    const h = Math.max(b.value > 0 ? 2 : 0, (Math.min(b.value, max) / max) * plotH);
    const labels =
      i % showEvery === 0
        ? html`<text class="label" x="${cx}" y="${H - bottom + 18}" text-anchor="middle">${b.label}</text>
          <text class="sublabel" x="${cx}" y="${H - bottom + 34}" text-anchor="middle">${b.sublabel}</text>`
        : '';
    return html`<g><title>${b.label} (${b.sublabel}): ${b.value}${o.unit} ${o.noun}</title>
      <rect class="bar" x="${cx - barW / 2}" y="${top + plotH - h}" width="${barW}" height="${h}" rx="3"></rect>
      <text class="value" x="${cx}" y="${top + plotH - h - 6}" text-anchor="middle">${b.value}${o.unit}</text>${labels}</g>`;
  });
  return html`<svg class="${g.cls}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${title}" preserveAspectRatio="xMidYMid meet">
    ${grid}<line class="axis" x1="${left}" x2="${W - right}" y1="${y(0)}" y2="${y(0)}"></line>${rects}</svg>`;
}

export function barChart(
  bars: Bar[],
  title: string,
  emptyText: string,
  o: ChartOptions = { unit: '', noun: 'người' },
): Html {
  if (bars.length === 0) return html`<p class="empty">${emptyText}</p>`;
  return html`${drawing(bars, title, o, WIDE)}${drawing(bars, title, o, NARROW)}`;
}
