import { readFileSync, readdirSync } from 'node:fs';
import { loadConfig } from '/work/main/src/config';
import { openRetriever } from '/work/main/src/search/engine';
import { matchKey } from '/work/main/src/text/normalize';
const qs = readdirSync('/work/main/test/eval/parts').flatMap(f => readFileSync('/work/main/test/eval/parts/' + f, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l)));
const r = await openRetriever(loadConfig());
const cats: Record<string, { n: number; r1: number; r5: number; conf: number[] }> = {};
for (const q of qs) {
  const res = await r.search(q.question, { k: 10 });
  const c = (cats[q.category] ??= { n: 0, r1: 0, r5: 0, conf: [] });
  c.n++; c.conf.push(res.confidence);
  if (!q.expect.length) continue;
  const exp = q.expect.map(matchKey);
  const rank = res.results.findIndex(x => exp.some((e: string) => matchKey(x.text).includes(e)));
  if (rank === 0) c.r1++;
  if (rank >= 0 && rank < 5) c.r5++;
  if (process.argv[2] === 'v' && (rank < 0 || rank >= 5)) console.log('MISS', q.id, q.question, '->', res.results.slice(0, 3).map(x => x.id).join(', '), res.confidence);
}
for (const [k, c] of Object.entries(cats)) { c.conf.sort((a,b)=>a-b); console.log(k.padEnd(16), c.n, 'R@1', (c.r1 / c.n).toFixed(2), 'R@5', (c.r5 / c.n).toFixed(2), 'conf p10/p50', c.conf[Math.floor(c.n*0.1)], c.conf[Math.floor(c.n/2)], 'max', c.conf[c.n-1]); }
