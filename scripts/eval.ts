import { Command } from 'commander';
import { createAnswerer } from '../src/answer/index';
import { loadConfig } from '../src/config';
import { openRetriever } from '../src/search/engine';
import { formatReport, readQuestions, runEvaluation } from './eval-lib';

const opts = new Command()
  .name('npm run eval --')
  .description('Retrieval and answer quality on a question file (one JSON object a line)')
  .option('--questions <file>', 'question file', 'test/eval/questions.jsonl')
  .option('--json', 'print JSON')
  .option('--misses', 'also list the questions that missed')
  .parse()
  .opts<{ questions: string; json?: boolean; misses?: boolean }>();

const config = loadConfig();
const questions = readQuestions(opts.questions);
const retriever = await openRetriever(config, { log: (m) => process.stderr.write(`${m}\n`), progress: true });
const report = await runEvaluation(questions, retriever, createAnswerer(config, retriever));
if (opts.json) {
  const { misses, ...rest } = report;
  console.log(JSON.stringify(opts.misses ? report : rest, null, 2));
} else {
  console.log(`${questions.length} questions from ${opts.questions} (mode: ${config.llmEnabled ? 'LLM' : 'offline extractive'})\n`);
  console.log(formatReport(report));
  if (opts.misses) for (const m of report.misses) console.log(`MISS ${m.id} rank=${m.rank ?? '-'} answered=${m.answered} mode=${m.mode}: ${m.question}`);
}
