import OpenAI from 'openai';
import type { Config } from '../config';
import { distinctCitations, formatCitation, type ScoredChunk } from '../domain';
import { REWRITE_PROMPT, SYSTEM_PROMPT, defuse, historyText, userMessage } from './prompt';
import { ungroundedFigures } from './grounding';
import type { Answer, Turn } from './types';

class LlmError extends Error {}

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

  /**
   * One call before retrieval: a follow-up becomes a standalone question ("còn lệ phí thì sao?" -> "Lệ phí đăng ký
   * khai sinh là bao nhiêu?") and everyday words get the law's terms beside them ("nghỉ đẻ" -> "nghỉ thai sản").
   * The result is only searched; the answer is still judged and grounded on passages.
   */
  async rewrite(question: string, history: Turn[]): Promise<string> {
    const res = await this.client.chat.completions.create({
      model: this.model,
      temperature: 0,
      max_tokens: 120,
      messages: [
        { role: 'system', content: REWRITE_PROMPT },
        {
          role: 'user',
          content: `${history.length ? `${historyText(history)}\n\n` : ''}Câu hỏi cuối: ${defuse(question)}`,
        },
      ],
    });
    const out = res.choices[0]?.message?.content?.normalize('NFC').trim();
    if (!out || leaksPrompt(out)) throw new LlmError('empty or unusable rewritten question');
    // "Câu hỏi: … / Thuật ngữ: …" or free text: searched as one string, bounded like any question.
    return out
      .replace(/^(câu hỏi|thuật ngữ)\s*:\s*/gimu, '')
      .replace(/\s+/g, ' ')
      .slice(0, this.config.MAX_QUESTION_CHARS);
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
    const params = {
      model: this.model,
      temperature: this.config.LLM_TEMPERATURE,
      max_tokens: this.config.LLM_MAX_TOKENS,
      messages,
    };

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
    return this.ground(content.normalize('NFC').trim(), passages, question);
  }

  /**
   * Map [n] markers to citations; reject empty, citation-less or prompt-leaking content, and content with a figure
   * (amount, duration, date, document number, URL) that no cited passage contains.
   */
  private ground(content: string, passages: ScoredChunk[], question: string): Omit<Answer, 'confidence'> | undefined {
    if (!content) return undefined;
    if (leaksPrompt(content)) return undefined;
    const used = new Set<number>();
    for (const m of content.matchAll(/\[(\d{1,2})\]/g)) {
      const n = Number(m[1]);
      if (n >= 1 && n <= passages.length) used.add(n);
    }
    if (used.size === 0) return undefined;
    const cited = [...used].map((n) => `${passages[n - 1].text}\n${formatCitation(passages[n - 1].citation)}`);
    const invented = ungroundedFigures(content, cited, question);
    if (invented.length) throw new LlmError(`figures not in the cited passages: ${invented.slice(0, 5).join(', ')}`);
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
