import OpenAI from 'openai';
import type { Config } from '../config';
import type { ScoredChunk } from '../search/types';
import { distinctCitations, formatCitation } from './cite';
import { CONDENSE_PROMPT, SYSTEM_PROMPT, historyText, userMessage } from './prompt';
import type { Answer, Turn } from './types';

export class LlmError extends Error {}

function leaksPrompt(content: string): boolean {
  return content.includes(SYSTEM_PROMPT.slice(0, 60)) || /Quy tắc bắt buộc/.test(content);
}

const MAX_PASSAGES = 5;

/** Answers with a chat model on any OpenAI-compatible server, grounded in numbered passages. */
export class LlmAnswerer {
  private readonly client: OpenAI;
  private readonly model: string;

  constructor(private readonly config: Config) {
    this.model = config.CHAT_MODEL!;
    // The client retries 429/5xx/connection errors with backoff, bounded by LLM_MAX_RETRIES, each try within the timeout.
    this.client = new OpenAI({
      apiKey: config.OPENAI_API_KEY ?? 'not-needed',
      baseURL: config.OPENAI_BASE_URL,
      timeout: config.LLM_TIMEOUT_MS,
      maxRetries: config.LLM_MAX_RETRIES,
    });
  }

  /** Rewrite a follow-up into a standalone question (LLM mode's answer to "còn lệ phí thì sao?"). */
  async condense(question: string, history: Turn[]): Promise<string> {
    const res = await this.client.chat.completions.create({
      model: this.model,
      temperature: 0,
      max_tokens: 80,
      messages: [
        { role: 'system', content: CONDENSE_PROMPT },
        { role: 'user', content: `${historyText(history)}\n\nCâu hỏi cuối: ${question}` },
      ],
    });
    const out = res.choices[0]?.message?.content?.trim();
    if (!out) throw new LlmError('empty condensed question');
    return out.slice(0, this.config.MAX_QUESTION_CHARS);
  }

  /** Returns undefined when the model's content is unusable (empty, no valid [n]), so the caller falls back. */
  async answer(
    question: string,
    results: ScoredChunk[],
    opts: { history: Turn[]; english: boolean; onToken?: (d: string) => void },
  ): Promise<Omit<Answer, 'confidence'> | undefined> {
    const passages = results.slice(0, MAX_PASSAGES);
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'system', content: SYSTEM_PROMPT }];
    for (const t of opts.history.slice(-2)) {
      messages.push({ role: 'user', content: t.question }, { role: 'assistant', content: t.answer.slice(0, 500) });
    }
    messages.push({ role: 'user', content: userMessage(question, passages, opts.english) });
    const params = { model: this.model, temperature: this.config.LLM_TEMPERATURE, max_tokens: this.config.LLM_MAX_TOKENS, messages };

    let content = '';
    if (opts.onToken) {
      const stream = await this.client.chat.completions.create({ ...params, stream: true });
      // Show text only once it is grounded (a [n] marker has appeared) and never what looks like the prompt;
      // until then deltas are held back, so a reply that will be rejected is never displayed.
      let shown = 0;
      let blocked = false;
      for await (const chunk of stream) {
        const d = chunk.choices[0]?.delta?.content ?? '';
        if (!d) continue;
        content += d;
        if (blocked || leaksPrompt(content)) {
          blocked = true;
          continue;
        }
        if (/\[\d{1,2}\]/.test(content)) {
          opts.onToken(content.slice(shown));
          shown = content.length;
        }
      }
    } else {
      const res = await this.client.chat.completions.create(params);
      content = res.choices[0]?.message?.content ?? '';
    }
    return this.ground(content.normalize('NFC').trim(), passages);
  }

  /** Map [n] markers to citations; reject empty, citation-less or prompt-leaking content. */
  private ground(content: string, passages: ScoredChunk[]): Omit<Answer, 'confidence'> | undefined {
    if (!content) return undefined;
    if (leaksPrompt(content)) return undefined;
    const used = new Set<number>();
    for (const m of content.matchAll(/\[(\d{1,2})\]/g)) {
      const n = Number(m[1]);
      if (n >= 1 && n <= passages.length) used.add(n);
    }
    if (used.size === 0) return undefined;
    // Drop markers that point at no passage rather than show a dangling reference.
    const text = content.replace(/\[(\d{1,2})\]/g, (m, d: string) => (used.has(Number(d)) ? m : ''));
    const order = [...used].sort((a, b) => a - b);
    const sources = order.map((n) => `[${n}] ${formatCitation(passages[n - 1].citation)}`).join('\n');
    const top = passages[order[0] - 1].citation;
    return {
      text: `${text}\n\nNguồn:\n${sources}`,
      citations: distinctCitations(order.map((n) => passages[n - 1].citation)),
      mode: 'llm',
      topic: { docId: top.docId, title: top.title },
    };
  }
}
