import { loadConfig } from '../src/config';
import { openRetriever } from '../src/search/engine';
const r = await openRetriever(loadConfig(), { log: () => {} });
for (const q of process.argv.slice(2)) {
  console.log(q, JSON.stringify(await r.explain(q)));
  const { results } = await r.search(q, { k: 3 });
  for (const x of results) console.log('  ', x.id, x.text.slice(0, 100).replace(/\n/g, ' | '));
}
