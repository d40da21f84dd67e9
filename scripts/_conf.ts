import { loadConfig } from '../src/config';
import { openRetriever } from '../src/search/engine';
import { readQuestions } from './eval-lib';
const r = await openRetriever(loadConfig(), { log: () => {} });
const rows: [number, string][] = [];
for (const q of readQuestions('test/eval/questions.jsonl')) {
  const res = await r.search(q.question, { k: 5 });
  rows.push([res.confidence, `${res.confidence.toFixed(3)} ${res.anchored ? 'A' : '-'} ${q.category === 'out_of_scope' ? 'OOS' : q.category === 'english' ? 'en ' : 'in '} ${q.question}`]);
}
rows.sort((a, b) => a[0] - b[0]);
console.log(rows.map((r) => r[1]).join('\n'));
