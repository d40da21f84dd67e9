import { loadConfig } from '../src/config';
import { openRetriever } from '../src/search/engine';
import { contentSyllables } from '../src/text/terms';
const r = await openRetriever(loadConfig());
for (const q of process.argv.slice(2)) {
  const pq = r.prepare(q);
  const res = await r.search(q, { k: 5 });
  console.log(q, '| corrected:', pq.corrected, '| exp:', pq.expansions.join(' / '));
  console.log('  syl:', contentSyllables(pq.corrected).map(t => `${t}:${r.index.lexical.has(t) ? r.index.lexical.idf(t).toFixed(2) : 'OOV'}`).join(' '));
  for (const x of res.results) console.log('  ', x.id, x.score.toFixed(4), 'L', x.lexicalRank, 'V', x.vectorRank, x.vectorSimilarity?.toFixed(3));
  console.log('  conf', res.confidence);
}
