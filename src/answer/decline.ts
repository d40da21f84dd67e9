import { type SearchResult, askedSections } from '../domain';
import { fold, subjectPhrase, topicView } from '../text';
import {
  DECLINE_TEXT,
  DECLINE_TEXT_EN,
  missingArticleText,
  unknownTopicText,
  unknownTopicTextEn,
  WHICH_PROCEDURE_EN,
  whichProcedureText,
} from './messages';
import type { Answer, Suggestion } from './types';

const MAX_SUGGESTIONS = 3;

/** Distinct procedures among the passages found: offered as choices, never as the answer. */
function nearestProcedures(res: SearchResult, section?: string): Suggestion[] {
  const out: Suggestion[] = [];
  for (const r of res.results) {
    const c = r.citation;
    if (c.kind !== 'procedure' || out.some((s) => s.docId === c.docId)) continue;
    out.push({ docId: c.docId, title: c.title, ...(section ? { section } : {}) });
    if (out.length === MAX_SUGGESTIONS) break;
  }
  return out;
}

/**
 * The reply when the corpus does not answer: a clarifying question when the question names no subject and the
 * conversation has none, the named article missing from a named document, or what the bot understood and that it
 * is not in its data (with the nearest procedures as suggestions), or the general decline.
 */
export function declineAnswer(
  question: string,
  res: SearchResult,
  opts: { english: boolean; hasTopic: boolean; resolved: string },
): Answer {
  const base = { citations: [], confidence: res.confidence, resolvedQuestion: opts.resolved };
  const missing = res.lookup?.missing;
  if (missing) {
    return {
      ...base,
      mode: 'declined',
      reason: 'missing-article',
      text: missingArticleText(missing.title, missing.article, missing.articleCount),
    };
  }
  const view = topicView(question);
  if (!view.topic.length && !opts.hasTopic && !res.lookup?.docNamed) {
    const section = askedSections(question)[0];
    const suggestions = nearestProcedures(res, section);
    return {
      ...base,
      mode: 'clarify',
      reason: 'no-subject',
      text: opts.english ? WHICH_PROCEDURE_EN : whichProcedureText(section, suggestions.length > 0),
      suggestions,
    };
  }
  const understood = subjectPhrase(view);
  if (!understood)
    return { ...base, mode: 'declined', reason: 'no-match', text: opts.english ? DECLINE_TEXT_EN : DECLINE_TEXT };
  // The nearest procedures help someone asking about a procedure we lack ("làm hộ chiếu cần gì"), not "giá vàng".
  const procedural =
    askedSections(question).length > 0 || /\b(thu tuc|dang k[iy]|lam|cap|xin|ho so|giay|nop)\b/.test(fold(question));
  const suggestions = opts.english || !procedural ? [] : nearestProcedures(res);
  return {
    ...base,
    mode: 'declined',
    reason: 'unknown-topic',
    understood,
    text: opts.english ? unknownTopicTextEn(understood) : unknownTopicText(understood, suggestions.length > 0),
    suggestions,
  };
}
