import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../src/config';

export interface EvalSet {
  name: string;
  /** Question file, relative to the repository. */
  questions: string;
  /** Files or folders of the corpus; omitted = CORPUS_DIR (the shipped corpus). */
  corpus?: string[];
  note?: string;
}

const ROOT = path.resolve(import.meta.dirname, '..');

export function readSets(file = path.join(ROOT, 'test/eval/sets.json')): EvalSet[] {
  const sets = JSON.parse(readFileSync(file, 'utf8')) as EvalSet[];
  return sets.map((s) => ({
    ...s,
    questions: path.resolve(ROOT, s.questions),
    corpus: s.corpus?.map((c) => path.resolve(ROOT, c)),
  }));
}

/**
 * A corpus of its own for an evaluation: the given files and folders copied into a cache folder, indexed beside it,
 * so that DATA_DIR (the bot's own index) is never touched. Re-runs reuse the index (ingest is incremental).
 */
export function evalCorpus(paths: string[], config: Config): Pick<Config, 'corpusDir' | 'indexDir'> {
  const abs = paths.map((p) => path.resolve(p));
  for (const p of abs) if (!existsSync(p)) throw new Error(`Corpus path not found: ${p}`);
  const key = createHash('sha1')
    .update(`${abs.join('\n')}|${config.EMBEDDINGS}|${config.EMBEDDING_DIM}`)
    .digest('hex')
    .slice(0, 12);
  const root = path.join(os.tmpdir(), 'tro-ly-eval', key);
  const corpusDir = path.join(root, 'corpus');
  rmSync(corpusDir, { recursive: true, force: true });
  mkdirSync(corpusDir, { recursive: true });
  const copy = (src: string, dest: string) => {
    if (statSync(src).isDirectory()) {
      mkdirSync(dest, { recursive: true });
      for (const e of readdirSync(src)) copy(path.join(src, e), path.join(dest, e));
    } else copyFileSync(src, dest);
  };
  for (const p of abs) copy(p, path.join(corpusDir, path.basename(p)));
  return { corpusDir, indexDir: path.join(root, 'index') };
}
