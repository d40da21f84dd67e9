import type { Config } from '../config';
import { logger } from '../log';
import { type Retriever, type RetrieverSource, retrieverOf } from '../search';
import { collapseWhitespace, isEnglish, nfc, topicView } from '../text';
import { documentsOf } from '../domain';
import { retrieveInConversation } from './conversation';
import { declineAnswer } from './decline';
import { capLength, extractiveAnswer } from './extractive-answer';
import { LlmAnswerer } from './llm';
import { SMALL_TALK, SMALL_TALK_EN } from './messages';
import { smallTalk } from './smalltalk';
import type { Answer, AnswerOptions, Answerer } from './types';
import { ModelGate } from './model-gate';
import { validityNote } from './validity-note';

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
  const k = config.SEARCH_TOP_K;
  const gate = deps.gate ?? new ModelGate(config.LLM_MAX_CONCURRENT);

  return {
    async answer(question: string, opts: AnswerOptions = {}): Promise<Answer> {
      const retriever = retrieverOf(source);
      const q = sanitizeQuestion(question, config.MAX_QUESTION_CHARS);
      const english = isEnglish(q);
      const talk = smallTalk(q);
      if (talk)
        return {
          text: (english ? SMALL_TALK_EN : SMALL_TALK)[talk],
          citations: [],
          confidence: 1,
          mode: 'smalltalk',
          resolvedQuestion: q,
        };
      const history = (opts.history ?? []).slice(-config.MEMORY_TURNS);
      let { res, resolved, usedTopic } = await retrieveInConversation(retriever, q, history, { k, threshold });
      const hasTopic = history.some((t) => t.topic);
      // "lệ phí bao nhiêu?" with nothing before it names no subject: ask which one, whatever the passages say.
      const noSubject = !hasTopic && !res.lookup?.docNamed && !topicView(q).topic.length;
      // LLM mode: a follow-up, or a question the offline search cannot place (everyday words the law does not use),
      // is rewritten by the model into a standalone question in the law's own terms (one call), then searched again.
      if (llm && !noSubject && (usedTopic || res.confidence < threshold)) {
        try {
          const rewritten = await gate.run(() => llm.rewrite(q, history));
          if (rewritten === undefined) throw new Error('model calls at LLM_MAX_CONCURRENT');
          const again = await retriever.search(rewritten, { k });
          if (again.confidence >= res.confidence || usedTopic)
            ({ res, resolved } = { res: again, resolved: rewritten });
        } catch (err) {
          logger.warn({ err: (err as Error).message }, 'LLM rewrite failed; using the offline search');
        }
      }
      if (noSubject || !res.results.length || res.confidence < threshold)
        return declineAnswer(q, res, { english, hasTopic, resolved });
      if (llm) {
        try {
          // Every figure of a model's answer must be in the passages it cites (llm.ts); otherwise it throws and the
          // extractive answer is served. undefined when LLM_MAX_CONCURRENT calls are already running: extractive.
          const a = await gate.run(() => llm.answer(q, res.results, { history, english, onToken: opts.onToken }));
          if (a) {
            const note = a.citations[0]
              ? validityNote(q, a.citations[0], documentsOf(retriever.index.chunks), { english })
              : '';
            const text = note ? `${note}\n\n${a.text}` : a.text;
            return {
              ...a,
              text: capLength(text, config.MAX_ANSWER_CHARS),
              confidence: res.confidence,
              resolvedQuestion: resolved,
            };
          }
        } catch (err) {
          logger.warn({ err: (err as Error).message }, 'LLM answer failed; falling back to extractive');
        }
      }
      const lexical = retriever.index.lexical;
      const a = extractiveAnswer(resolved, res, retriever.index.chunks, {
        english,
        maxChars: config.MAX_ANSWER_CHARS,
        idf: (t) => lexical.idf(t),
      });
      return { ...a, resolvedQuestion: resolved };
    },
  };
}
export type { Answer, AnswerOptions, Answerer, Turn } from './types';
