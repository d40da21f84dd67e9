// Compare retrieval tunings on a question file: `tsx scripts/tune-retrieval.ts '{"name": {"lexicalWeight": 2}, ...}' [questions.jsonl]`
// Each variant reuses the built index; only the fusion weights change (see RetrieverTuning in src/search/retriever.ts).
import { createAnswerer } from '../src/answer/index';
import { loadConfig } from '../src/config';
import { openRetriever } from '../src/search/engine';
import { DEFAULT_TUNING, Retriever, type RetrieverTuning } from '../src/search/retriever';
import { readQuestions, runEvaluation } from './eval-lib';

const variants = JSON.parse(process.argv[2] ?? '{"default":{}}') as Record<string, Partial<RetrieverTuning>>;
const config = loadConfig();
const base = await openRetriever(config, { log: () => {} });
const questions = readQuestions(process.argv[3] ?? 'test/eval/questions.jsonl');
for (const [name, t] of Object.entries(variants)) {
  const r = new Retriever(base.index, base.embedder, base.synonyms, { ...DEFAULT_TUNING, ...t });
  const rep = await runEvaluation(questions, r, createAnswerer(config, r));
  const o = rep.overall;
  const cats = Object.entries(rep.categories)
    .map(([k, m]) => `${k.slice(0, 6)}:${m['recall@5']}`)
    .join(' ');
  console.log(
    `${name.padEnd(14)} R@1 ${o['recall@1']} R@5 ${o['recall@5']} hit ${o.answer_hit_rate} decline ${o.decline_rate} false-decline ${o.false_decline_rate} | ${cats}`,
  );
}
