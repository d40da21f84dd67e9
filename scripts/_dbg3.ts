import { loadConfig } from '../src/config';
import { openRetriever } from '../src/search/engine';
import { documentTerms } from '../src/text/terms';
const r = await openRetriever(loadConfig(), { log: () => {} });
const label = r.index.chunks.findIndex(c => c.id === 'dang-ky-ho-kinh-doanh#3');
const lex = r.index.lexical;
console.log(label, lex.has('dang_ki'), lex.docFreq('dang_ki'), lex.contains('dang_ki', label), lex.contains('dang', label), lex.contains('thoi_han', label));
console.log([...documentTerms(r.index.chunks[label].indexText ?? '')].filter(([t]) => t.includes('_')).slice(0, 10));
