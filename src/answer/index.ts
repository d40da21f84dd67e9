import type { Config } from '../config';
import { logger } from '../log';
import { retrieverOf, type RetrieverSource } from '../search/live-index';
import type { Retriever } from '../search/retriever';
import type { SearchResult } from '../search/types';
import { collapseWhitespace, nfc } from '../text/normalize';
import { capLength, extractiveAnswer } from './extractive-answer';
import { bareSectionQuestion, isEnglish, looksLikeFollowUp } from '../text/intent';
import { fold } from '../text/normalize';
import { LlmAnswerer } from './llm';
import { ModelGate } from './model-gate';
import { documentsOf } from '../search/documents';
import { validityNote } from './validity-note';
import { DECLINE_TEXT, DECLINE_TEXT_EN } from './messages';
import type { Answer, AnswerOptions, Answerer, Turn } from './types';

export type { Answer, AnswerOptions, Answerer, Turn } from './types';

const SEARCH_K = 6;

export interface AnswererDeps {
  /** Override the model client (tests point it at a fake server through config). */
  llm?: LlmAnswerer;
  /** Cap on concurrent model calls (default LLM_MAX_CONCURRENT; share one gate between answerers of a process). */
  gate?: ModelGate;
}

/** Clean a question: NFC, control characters removed, whitespace collapsed, length capped before any model sees it. */
export function sanitizeQuestion(q: string, max: number): string {
  return collapseWhitespace(nfc(q).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')).slice(0, max);
}

/** `source`: a retriever, or a live index whose current retriever each question takes once and keeps. */
export function createAnswerer(config: Config, source: Retriever | RetrieverSource, deps: AnswererDeps = {}): Answerer {
  const llm = deps.llm ?? (config.llmEnabled ? new LlmAnswerer(config) : undefined);
  const threshold = config.MIN_CONFIDENCE;
  const gate = deps.gate ?? new ModelGate(config.LLM_MAX_CONCURRENT);

  /**
   * Search, and for a follow-up also search with the previous topic. The topic only steers ranking: confidence
   * is always judged on the user's own words, so "giá vàng?" after a khai sinh question is still declined.
   */
  async function retrieve(retriever: Retriever, q: string, history: Turn[]): Promise<{ res: SearchResult; resolved: string }> {
    const plain = await retriever.search(q, { k: SEARCH_K });
    const topic = history.at(-1)?.topic;
    if (!topic) return { res: plain, resolved: q };
    const followUp = looksLikeFollowUp(q);
    const short = q.split(' ').length <= 8;
    if (!followUp && !(short && plain.confidence < threshold + 0.25)) return { res: plain, resolved: q };
    // LLM mode condenses the follow-up with the model; offline (or if that fails) the topic is prepended.
    let resolved = `${topic.title} ${q}`;
    if (llm) {
      try {
        resolved = (await gate.run(() => llm.condense(q, history))) ?? resolved;
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'LLM condense failed; using topic rewrite');
      }
    }
    // A bare "mất bao lâu?" is wholly about the topic; anything else is judged on its own words.
    const withTopic = await retriever.search(resolved, { k: SEARCH_K, confidenceFor: bareSectionQuestion(fold(q)) ? undefined : q });
    const useTopic = followUp ? withTopic.confidence >= threshold : withTopic.confidence > plain.confidence;
    return useTopic ? { res: withTopic, resolved } : { res: plain, resolved: q };
  }

  return {
    async answer(question: string, opts: AnswerOptions = {}): Promise<Answer> {
      const retriever = retrieverOf(source);
      const q = sanitizeQuestion(question, config.MAX_QUESTION_CHARS);
      const english = isEnglish(q);
      const history = (opts.history ?? []).slice(-config.MEMORY_TURNS);
      const { res, resolved } = await retrieve(retriever, q, history);
      if (!res.results.length || res.confidence < threshold) {
        return { text: english ? DECLINE_TEXT_EN : DECLINE_TEXT, citations: [], confidence: res.confidence, mode: 'declined', resolvedQuestion: resolved };
      }
      if (llm) {
        try {
          // undefined when LLM_MAX_CONCURRENT calls are already running (or the reply is unusable): extractive.
          const a = await gate.run(() => llm.answer(q, res.results, { history, english, onToken: opts.onToken }));
          if (a) {
            const note = a.citations[0] ? validityNote(q, a.citations[0], documentsOf(retriever.index.chunks), { english }) : '';
            const text = note ? `${note}\n\n${a.text}` : a.text;
            return { ...a, text: capLength(text, config.MAX_ANSWER_CHARS), confidence: res.confidence, resolvedQuestion: resolved };
          }
        } catch (err) {
          logger.warn({ err: (err as Error).message }, 'LLM answer failed; falling back to extractive');
        }
      }
      const a = extractiveAnswer(resolved, res, retriever.index.chunks, { english, maxChars: config.MAX_ANSWER_CHARS });
      return { ...a, resolvedQuestion: resolved };
    },
  };
}
