// Inline SVG bar chart (no script, no CDN): attendance per session.
import { html, type SafeHtml } from './html';

export interface Bar {
  label: string;
  sublabel: string;
  value: number;
}

/** Round axis maximum: 1, 2, 5, 10, 20, 50 ... at or above `max`. */
export function niceMax(max: number): number {
  if (max <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

export function barChart(bars: Bar[], title: string, emptyText: string): SafeHtml {
  if (bars.length === 0) return html`<p class="empty">${emptyText}</p>`;
  const W = 900;
  const H = 300;
  const left = 44;
  const right = 12;
  const top = 24;
  const bottom = 52;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const max = niceMax(Math.max(...bars.map((b) => b.value)));
  const ticks = max <= 5 ? Array.from({ length: max + 1 }, (_, i) => i) : [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * max));
  const band = plotW / bars.length;
  const barW = Math.max(4, Math.min(56, band * 0.62));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const showEvery = Math.ceil(bars.length / 12);

  const grid = [...new Set(ticks)].map(
    (t) => html`<line class="grid" x1="${left}" x2="${W - right}" y1="${y(t)}" y2="${y(t)}"></line>
      <text class="tick" x="${left - 8}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
  );
  const rects = bars.map((b, i) => {
    const cx = left + band * i + band / 2;
    const h = Math.max(b.value > 0 ? 2 : 0, (b.value / max) * plotH);
    const labels =
      i % showEvery === 0
        ? html`<text class="label" x="${cx}" y="${H - bottom + 18}" text-anchor="middle">${b.label}</text>
          <text class="sublabel" x="${cx}" y="${H - bottom + 34}" text-anchor="middle">${b.sublabel}</text>`
        : '';
    return html`<g><title>${b.label} (${b.sublabel}): ${b.value} người</title>
      <rect class="bar" x="${cx - barW / 2}" y="${top + plotH - h}" width="${barW}" height="${h}" rx="3"></rect>
      <text class="value" x="${cx}" y="${top + plotH - h - 6}" text-anchor="middle">${b.value}</text>${labels}</g>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${title}" preserveAspectRatio="xMidYMid meet">
    ${grid}<line class="axis" x1="${left}" x2="${W - right}" y1="${y(0)}" y2="${y(0)}"></line>${rects}</svg>`;
}
