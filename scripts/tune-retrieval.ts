import { createAnswerer } from '../src/answer/index';
import { loadConfig } from '../src/config';
import { openRetriever } from '../src/search/engine';
import { Retriever, DEFAULT_TUNING } from '../src/search/retriever';
import { readQuestions, runEvaluation } from './eval-lib';
const config = loadConfig();
const base = await openRetriever(config, { log: () => {} });
const qs = readQuestions('test/eval/questions.jsonl');
const variants: Record<string, Partial<typeof DEFAULT_TUNING>> = JSON.parse(process.argv[2] ?? '{"default":{}}');
for (const [name, t] of Object.entries(variants)) {
  const r = new Retriever(base.index, (base as any).embedder, base.synonyms, { ...DEFAULT_TUNING, ...t });
  const rep = await runEvaluation(qs, r, createAnswerer(config, r));
  const c = rep.categories;
  console.log(name.padEnd(14), 'R@1', rep.overall['recall@1'], 'R@5', rep.overall['recall@5'], 'hit', rep.overall.answer_hit_rate, 'oos', rep.overall.decline_rate, 'fd', rep.overall.false_decline_rate, '|', Object.entries(c).map(([k, m]) => `${k.slice(0, 6)}:${m['recall@5']}`).join(' '));
}
