import { Command } from 'commander';
import { createAnswerer } from '../src/answer/index';
import { loadConfig, type Config } from '../src/config';
import { openRetriever } from '../src/search/engine';
import { evalCorpus, readSets } from './eval-corpus';
import { formatReport, formatTable, readQuestions, runEvaluation, type EvalReport } from './eval-lib';

const opts = new Command()
  .name('npm run eval --')
  .description('Retrieval and answer quality on a question file (one JSON object a line)')
  .option('--questions <file>', 'question file', 'test/eval/questions.jsonl')
  .option(
    '--corpus <paths...>',
    'evaluate over these files/folders instead of CORPUS_DIR (indexed in a cache outside DATA_DIR)',
  )
  .option('--set <name>', 'a named set of test/eval/sets.json (question file + corpus)')
  .option('--all', 'every set of test/eval/sets.json, side by side')
  .option('--json', 'print JSON')
  .option('--misses', 'also list the questions that missed')
  .parse()
  .opts<{ questions: string; corpus?: string[]; set?: string; all?: boolean; json?: boolean; misses?: boolean }>();

const base = loadConfig();
const log = (m: string) => process.stderr.write(`${m}\n`);

async function evaluate(questionsFile: string, corpus?: string[]): Promise<EvalReport> {
  const config: Config = corpus?.length ? { ...base, ...evalCorpus(corpus, base) } : base;
  const retriever = await openRetriever(config, { log, progress: !opts.json });
  return runEvaluation(readQuestions(questionsFile), retriever, createAnswerer(config, retriever));
}

const mode = base.llmEnabled ? 'LLM' : 'offline extractive';
if (opts.all) {
  const sets = readSets();
  const rows: string[][] = [];
  const reports: Record<string, EvalReport> = {};
  for (const s of sets) {
    log(`== ${s.name}: ${s.questions}`);
    const r = await evaluate(s.questions, s.corpus);
    reports[s.name] = r;
    const o = r.overall;
    const f = (x: number) => x.toFixed(2);
    rows.push([
      s.name,
      String(o.in_scope),
      String(o.out_of_scope),
      f(o['recall@5']),
      f(o.answer_hit_rate),
      f(o.wrong_answer_rate),
      f(o.false_decline_rate),
      o.out_of_scope ? f(o.decline_rate) : '–',
      f(r.baseline['recall@5']),
      String(o.answer_chars_p50),
    ]);
  }
  if (opts.json)
    console.log(
      JSON.stringify(
        Object.fromEntries(
          Object.entries(reports).map(([k, { misses, ...rest }]) => [k, opts.misses ? { ...rest, misses } : rest]),
        ),
        null,
        2,
      ),
    );
  else {
    console.log(`Question sets side by side (mode: ${mode})\n`);
    console.log(
      formatTable(
        [
          'set',
          'in scope',
          'oos',
          'R@5',
          'answer hit',
          'wrong',
          'false decl.',
          'oos declined',
          'BM25 R@5',
          'median chars',
        ],
        rows,
      ),
    );
    if (opts.misses)
      for (const [name, r] of Object.entries(reports))
        for (const m of r.misses)
          console.log(
            `MISS ${name} ${m.id} [${m.category}] rank=${m.rank ?? '-'} mode=${m.mode}${m.wrong ? ' WRONG' : ''}: ${m.question}`,
          );
  }
} else {
  const set = opts.set ? readSets().find((s) => s.name === opts.set) : undefined;
  if (opts.set && !set) throw new Error(`No set "${opts.set}" in test/eval/sets.json`);
  const questions = set?.questions ?? opts.questions;
  const report = await evaluate(questions, set?.corpus ?? opts.corpus);
  if (opts.json) {
    const { misses, ...rest } = report;
    console.log(JSON.stringify(opts.misses ? report : rest, null, 2));
  } else {
    console.log(`${readQuestions(questions).length} questions from ${questions} (mode: ${mode})\n`);
    console.log(formatReport(report));
    if (opts.misses)
      for (const m of report.misses)
        console.log(
          `MISS ${m.id} [${m.category}] rank=${m.rank ?? '-'} mode=${m.mode}${m.wrong ? ' WRONG' : ''}: ${m.question}`,
        );
  }
}
