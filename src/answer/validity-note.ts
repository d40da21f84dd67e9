import {
  asksForOldRule,
  type Citation,
  currentReplacement,
  docLabel,
  type DocumentInfo,
  refLabel,
  todayIso,
  validityAt,
  viDate,
} from '../domain';

/*
 * The words an answer uses about validity. A passage from a document no longer in force is never presented as the
 * current rule: the answer says so first and names what applies now; when the question asked for the old rule,
 * the passage is labelled as such instead.
 */

interface NoteOptions {
  english?: boolean;
  now?: Date;
}

/**
 * The sentence that goes before an answer whose main passage comes from `top`, or '' when the document is in force
 * and unamended. `docs` are the index's documents (documentsOf), to follow the replacement chain.
 */
export function validityNote(question: string, top: Citation, docs: DocumentInfo[], opts: NoteOptions = {}): string {
  const today = todayIso(opts.now);
  const label = docLabel(top);
  const state = validityAt(top, today, today);
  const old = asksForOldRule(question, today);
  if (state === 'repealed') {
    const since = top.expiredFrom ? viDate(top.expiredFrom) : undefined;
    const repl = currentReplacement(top, docs, today);
    const now = repl ? refLabel(docs, repl) : undefined;
    if (opts.english) {
      return `Note: ${label} is no longer in force${since ? ` (since ${since})` : ''}${now ? `; the rule in force now is ${now}` : ''}.${old ? ' Below is the old rule you asked about.' : ' The passage below is the old rule, for reference only.'}`;
    }
    const status = `đã hết hiệu lực${since ? ` từ ${since}` : ''}`;
    const current = now
      ? `hiện áp dụng ${now}`
      : 'dữ liệu chưa có văn bản thay thế, hãy đối chiếu văn bản đang có hiệu lực';
    if (old) return `Quy định cũ theo ${label} (${status}; ${current}):`;
    return `⚠️ ${label} ${status}; ${current}. Đoạn trích dưới đây là quy định cũ, chỉ để tham khảo.`;
  }
  if (state === 'not-yet') {
    const from = top.effectiveFrom ? viDate(top.effectiveFrom) : undefined;
    if (opts.english) return `Note: ${label} is not in force yet${from ? ` (from ${from})` : ''}.`;
    return `⚠️ ${label} chưa có hiệu lực${from ? ` (có hiệu lực từ ${from})` : ''}.`;
  }
  if (state === 'amended' && top.amendedBy?.length) {
    const by = top.amendedBy.map((r) => refLabel(docs, r)).join(', ');
    if (opts.english) return `Note: ${label} has been amended by ${by}; check the amendment.`;
    return `Lưu ý: ${label} đã được sửa đổi, bổ sung bởi ${by}; hãy đối chiếu nội dung sửa đổi.`;
  }
  return '';
}
