import { loadConfig } from '../src/config';
import { openRetriever } from '../src/search/engine';
import { buildAnchors } from '../src/search/confidence';
import { foldedTokens } from '../src/text/terms';
import { STOPWORDS, QUESTION_WORDS } from '../src/text/stopwords';
const r = await openRetriever(loadConfig(), { log: () => {} });
const a = buildAnchors(r.index.chunks, r.synonyms);
console.log('anchors', a.size);
for (const q of process.argv.slice(2)) {
  const pq = r.prepare(q);
  const t = foldedTokens(`${pq.corrected}\n${pq.expansions.join('\n')}`).filter((x) => !STOPWORDS.has(x) && !QUESTION_WORDS.has(x));
  const hits = t.flatMap((x, i) => [a.has(x) ? x : '', i + 1 < t.length && a.has(`${x}_${t[i + 1]}`) ? `${x}_${t[i + 1]}` : '']).filter(Boolean);
  console.log(q, '|', pq.expansions.join('/'), '|', hits.join(' '));
}
