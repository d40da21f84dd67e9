// "What the corpus cannot answer": declined questions and 👎-voted answers, grouped by similar wording, for
// officials deciding which procedure to add next. Personal data was masked before the questions were stored.
import { html } from 'hono/html';
import { csvBuffer, formatDateTime } from '../attendance';
import type { GapGroup, GapKind } from '../gaps';
import { channelName, layout, subHeader } from './admin-page';
import type { Html } from './types';

export const PERIODS: Record<string, { days?: number; label: string }> = {
  '7': { days: 7, label: '7 ngày qua' },
  '30': { days: 30, label: '30 ngày qua' },
  '90': { days: 90, label: '90 ngày qua' },
  '365': { days: 365, label: '12 tháng qua' },
  all: { label: 'Từ trước đến nay' },
};
export const KINDS: Record<string, { kind?: GapKind; label: string }> = {
  all: { label: 'Bị từ chối và bị 👎' },
  declined: { kind: 'declined', label: 'Chỉ câu bot từ chối' },
  downvoted: { kind: 'downvoted', label: 'Chỉ câu trả lời bị 👎' },
};
const REASONS: Record<string, string> = {
  'no-match': 'không có đoạn phù hợp',
  'unknown-topic': 'chủ đề chưa có trong kho',
  'no-subject': 'câu hỏi thiếu chủ thể',
  'missing-article': 'không có điều khoản được hỏi',
};
const reasonName = (r: string) => REASONS[r] ?? r;

export interface QuestionsFilter {
  period: string;
  kind: string;
}

export function questionsCsv(groups: GapGroup[]): Buffer {
  const header = [
    'Câu hỏi (cách hỏi gần nhất)',
    'Số lần',
    'Bot từ chối',
    'Bị 👎',
    'Số cách hỏi',
    'Lần đầu',
    'Lần cuối',
    'Kênh',
    'Lý do',
  ];
  return csvBuffer([
    header,
    ...groups.map((g) => [
      g.question,
      String(g.count),
      String(g.declined),
      String(g.downvoted),
      String(g.variants),
      formatDateTime(g.firstSeen.getTime()),
      formatDateTime(g.lastSeen.getTime()),
      g.channels.map(channelName).join(', '),
      g.reasons.map(reasonName).join(', '),
    ]),
  ]);
}

export function questionsPage(groups: GapGroup[], f: QuestionsFilter): Html {
  const opt = (o: Record<string, { label: string }>, sel: string) =>
    Object.entries(o).map(
      ([k, v]) => html`<option value="${k}"${k === sel ? html` selected` : ''}>${v.label}</option>`,
    );
  const qs = `?period=${encodeURIComponent(f.period)}&kind=${encodeURIComponent(f.kind)}`;
  const total = groups.reduce((s, g) => s + g.count, 0);
  const rows = groups.map(
    (
      g,
    ) => html`<tr><td data-label="Câu hỏi" class="question">${g.question}${g.variants > 1 ? html`<br><span class="muted">${g.variants} cách hỏi tương tự</span>` : ''}</td>
      <td data-label="Số lần" class="num"><strong>${g.count}</strong></td>
      <td data-label="Từ chối / 👎" class="num nowrap">${g.declined} / ${g.downvoted}</td>
      <td data-label="Lần đầu" class="nowrap">${formatDateTime(g.firstSeen.getTime())}</td>
      <td data-label="Lần cuối" class="nowrap">${formatDateTime(g.lastSeen.getTime())}</td>
      <td data-label="Kênh">${g.channels.map(channelName).join(', ')}</td>
      <td data-label="Lý do">${g.reasons.map(reasonName).join(', ') || '—'}</td></tr>`,
  );
  return layout(
    'Câu hỏi chưa trả lời được',
    html`${subHeader('Câu hỏi chưa trả lời được', 'Người dân đã hỏi gì mà kho văn bản chưa trả lời được: căn cứ để bổ sung thủ tục, văn bản')}
<main>
<form class="filters card" method="get" action="/admin/questions">
  <div class="field"><label for="q-period">Thời gian</label><select id="q-period" name="period">${opt(PERIODS, f.period)}</select></div>
  <div class="field"><label for="q-kind">Loại</label><select id="q-kind" name="kind">${opt(KINDS, f.kind)}</select></div>
  <div class="actions"><button type="submit">Xem</button><a class="button secondary" href="/admin/questions.csv${qs}" download>⬇ Tải CSV</a></div>
</form>
<section class="card"><h2>${groups.length} nhóm câu hỏi, ${total} lượt</h2>
  <p class="muted">Các câu hỏi giống nhau khi bỏ dấu và bỏ từ hỏi được gộp một nhóm. Số điện thoại, số CCCD/CMND và email đã được che trước khi lưu.</p>
  ${
    rows.length
      ? html`<div class="table-wrap"><table class="cards" id="gaps"><thead><tr><th>Câu hỏi</th><th class="num">Số lần</th><th class="num">Từ chối / 👎</th><th>Lần đầu</th><th>Lần cuối</th><th>Kênh</th><th>Lý do</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : html`<p class="empty">Chưa có câu hỏi nào bị từ chối hoặc bị 👎 trong khoảng thời gian này.</p>`
  }
</section>
</main>`,
    { wide: true },
  );
}
