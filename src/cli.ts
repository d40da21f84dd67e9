import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { PgAttendanceStore, runAttendanceCli } from './attendance';
import { formatCitation, validityTag } from './domain';
import { createAnswerer, type Turn } from './answer';
import { ocrFromConfig } from './ocr';
import {
  consoleProgress,
  createEmbedder,
  formatReport,
  IndexMismatchError,
  ingest,
  IngestError,
  loadVersion,
  openRetriever,
  PgIndexVersions,
  publishIndex,
  Retriever,
} from './search';
import { type Database, migratePg, openDatabase } from './db';
import { ImportError, importSqlite, replicaName } from './state';
import { type Config, ConfigError, loadConfig } from './config';
import { configureLogger } from './log';

/** The validated configuration, with the logger set to its LOG_LEVEL. */
function configured(): Config {
  const config = loadConfig();
  configureLogger(config);
  return config;
}

/** With DATABASE_URL: the shared database, migrated (closed by the caller). */
async function sharedDatabase(config: Config): Promise<Database> {
  const db = openDatabase(config.DATABASE_URL!, { max: 2, applicationName: 'tro-ly-hanh-chinh-cli' });
  await migratePg(db);
  return db;
}

/** The retriever over the local index, or (DATABASE_URL) over the newest published version. */
async function cliRetriever(config: Config): Promise<Retriever> {
  if (!config.DATABASE_URL) return openRetriever(config);
  const db = await sharedDatabase(config);
  try {
    const latest = await new PgIndexVersions(db).latest();
    if (!latest) throw new IngestError('No index version is published yet: run "npm run ingest" (or start a replica).');
    const embedder = createEmbedder(config);
    return new Retriever(await loadVersion(config, latest, embedder), embedder);
  } finally {
    await db.close();
  }
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

const program = new Command()
  .name('npm run cli --')
  .description('Trợ lý Hành chính số: ingest the corpus, search it, ask questions, manage attendance')
  .showHelpAfterError();

program
  .command('ingest')
  .description('build or update the search index from CORPUS_DIR (incremental)')
  .action(async () => {
    const config = configured();
    const progress = consoleProgress();
    if (config.DATABASE_URL) {
      // Several replicas: a new version in INDEX_DIR, recorded in the database; replicas swap to it by themselves.
      const db = await sharedDatabase(config);
      try {
        const r = await publishIndex({
          config,
          embedder: createEmbedder(config),
          versions: new PgIndexVersions(db),
          replica: `cli@${replicaName()}`,
          progress,
          ocr: ocrFromConfig(config),
          log: (m) => console.log(m),
        });
        progress.stop();
        if (r.status === 'busy')
          throw new IngestError('Another ingest is running (on some replica); try again when it has finished.');
        if (r.status === 'current')
          console.log(
            `Index version ${r.version.id} (${r.version.chunks} chunks) already matches ${config.corpusDir}; nothing to do.`,
          );
        else
          console.log(
            `${formatReport(r.report)}\nPublished index version ${r.version.id} in ${config.indexDir}; replicas switch to it within INDEX_POLL_SECONDS.`,
          );
      } finally {
        progress.stop();
        await db.close();
      }
      return;
    }
    const { report } = await ingest({
      corpusDir: config.corpusDir,
      indexDir: config.indexDir,
      embedder: createEmbedder(config),
      ef: config.SEARCH_EF,
      ocr: ocrFromConfig(config),
      ...progress,
    });
    progress.stop();
    console.log(formatReport(report));
  });

program
  .command('search')
  .description('show the passages retrieved for a question, with citations and scores')
  .argument('<question...>', 'the question (quote it)')
  .option('-k, --k <n>', 'number of results', positiveInt, 5)
  .option('--kind <kind>', 'only procedure | regulation | news')
  .option('--json', 'print JSON')
  .option('--explain', 'also print how confidence was judged for the top passages')
  .action(
    async (
      words: string[],
      o: { k: number; kind?: 'procedure' | 'regulation' | 'news'; json?: boolean; explain?: boolean },
    ) => {
      const config = configured();
      const retriever = await cliRetriever(config);
      const { results, confidence } = await retriever.search(words.join(' '), { k: o.k, kind: o.kind });
      if (o.json) {
        const out = results.map((r) => ({
          text: r.text,
          score: Number(r.score.toFixed(5)),
          citation: {
            docId: r.citation.docId,
            title: r.citation.title,
            docNumber: r.citation.docNumber ?? null,
            article: r.citation.article ?? null,
            clause: r.citation.clause ?? null,
            page: r.citation.page ?? null,
            source: r.citation.source,
            kind: r.citation.kind,
            chapter: r.citation.chapter ?? null,
            status: r.citation.status ?? null,
            validity: validityTag(r.citation) || null,
          },
        }));
        console.log(JSON.stringify({ results: out, confidence }, null, 2));
        return;
      }
      if (!results.length) console.log('No results.');
      results.forEach((r, i) => {
        console.log(`\n${i + 1}. [${r.score.toFixed(4)}] ${formatCitation(r.citation)}`);
        console.log(`   ${r.citation.source}`);
        console.log(
          r.text
            .split('\n')
            .map((l) => `   ${l}`)
            .join('\n')
            .slice(0, 600),
        );
      });
      console.log(`\nconfidence: ${confidence}`);
      if (o.explain) {
        const pq = retriever.prepare(words.join(' '));
        console.log(
          `searched as: ${pq.corrected}${pq.expansions.length ? `\nexpanded with: ${pq.expansions.join(' / ')}` : ''}`,
        );
        for (const e of await retriever.explain(words.join(' '))) {
          const f = e.features;
          console.log(
            `  ${e.id}: unigram ${f.unigram.toFixed(2)}, bigram ${f.bigram.toFixed(2)}, similarity ${f.similarity.toFixed(2)}`,
          );
        }
      }
    },
  );

program
  .command('ask')
  .description('answer a question as the bot would (offline extractive unless a chat model is configured)')
  .argument('<question...>', 'the question (quote it)')
  .option('--json', 'print the Answer object as JSON')
  .option(
    '-H, --history <question>',
    'an earlier question of the same conversation, oldest first (repeatable)',
    (v: string, acc: string[]) => [...acc, v],
    [] as string[],
  )
  .action(async (words: string[], o: { json?: boolean; history: string[] }) => {
    const config = configured();
    const retriever = await cliRetriever(config);
    const answerer = createAnswerer(config, retriever);
    // Earlier turns are asked first, as in a chat, so that a follow-up sees the topic the bot really answered.
    const history: Turn[] = [];
    for (const q of o.history) {
      const earlier = await answerer.answer(q, { history });
      history.push({ question: q, answer: earlier.text, topic: earlier.topic });
    }
    const a = await answerer.answer(words.join(' '), { history });
    if (o.json) console.log(JSON.stringify(a, null, 2));
    else
      console.log(
        `${a.text}\n\n[mode: ${a.mode}${a.reason ? ` (${a.reason})` : ''}, confidence: ${a.confidence}${history.length ? `, searched as: ${a.resolvedQuestion}` : ''}]`,
      );
  });

program
  .command('attendance')
  .description(
    'attendance: list | export [--class NAME | --code CODE] [--from DATE] [--to DATE] --format csv|xlsx [--out FILE] | roster import FILE --class NAME | roster show --class NAME | matrix --class NAME',
  )
  .helpOption(false)
  .allowUnknownOption()
  .allowExcessArguments()
  .action(async () => {
    const config = configured();
    const args = process.argv.slice(process.argv.indexOf('attendance') + 1);
    const db = config.DATABASE_URL ? await sharedDatabase(config) : undefined;
    try {
      process.exitCode = await runAttendanceCli(args, {
        dbPath: path.join(config.dataDir, 'attendance.db'),
        openStore: db ? () => new PgAttendanceStore(db) : undefined,
        stdout: process.stdout,
        stderr: process.stderr,
      });
    } finally {
      await db?.close();
    }
  });

program
  .command('db')
  .description("shared PostgreSQL database (DATABASE_URL): import-sqlite copies DATA_DIR's SQLite files into it")
  .argument('<action>', 'import-sqlite')
  .action(async (action: string) => {
    const config = configured();
    if (action !== 'import-sqlite') throw new IngestError(`unknown db action "${action}" (try: import-sqlite)`);
    if (!config.DATABASE_URL) throw new IngestError('set DATABASE_URL to the PostgreSQL database to import into');
    const db = await sharedDatabase(config);
    try {
      const copied = await importSqlite(config.dataDir, db);
      console.log(
        `Imported from ${config.dataDir}: ${Object.entries(copied)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')}.`,
      );
    } catch (err) {
      if (err instanceof ImportError) throw new IngestError(err.message);
      throw err;
    } finally {
      await db.close();
    }
  });

async function main() {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof IngestError || err instanceof IndexMismatchError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

await main();
