// Changes to the corpus directory made by a job before it builds: add (or replace) a file, delete one, edit a
// document's metadata. Nothing is destroyed: a replaced or deleted file (and its sidecar) goes to DATA_DIR's
// corpus-trash, dated, from where an operator can put it back.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SIDECAR_SUFFIXES, sidecarOf } from '../ingest';
import { writeSidecarEdit, type MetadataEdit } from './metadata-edit';

export type CorpusOp =
  /** Put the checked upload `staged` (an absolute path) at corpus path `source`; `name` is what the user called it. */
  | { op: 'add'; staged: string; source: string; name: string }
  | { op: 'delete'; source: string }
  | { op: 'metadata'; source: string; edit: MetadataEdit };

export interface OpsContext {
  corpusDir: string;
  /** DATA_DIR/corpus-trash */
  trashDir: string;
  jobId: string;
  now: Date;
}

/** A corpus-relative path (forward slashes) that stays inside the corpus, or undefined. */
export function safeSource(source: string): string | undefined {
  const s = source.replace(/\\/g, '/');
  if (!s || s.startsWith('/') || s.split('/').some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.')))
    return undefined;
  return s;
}

export function corpusPath(corpusDir: string, source: string): string {
  const s = safeSource(source);
  const abs = s && path.resolve(corpusDir, s);
  if (!abs || !abs.startsWith(path.resolve(corpusDir) + path.sep))
    throw new Error(`not a corpus path: ${source.slice(0, 200)}`);
  return abs;
}

function move(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}

/** Moves a corpus file (and, with `withSidecar`, its metadata file) to the trash; returns where it went. */
function toTrash(abs: string, source: string, ctx: OpsContext, withSidecar: boolean): string {
  const stamp = ctx.now.toISOString().replace(/[:.]/g, '-');
  const dest = path.join(ctx.trashDir, `${stamp}-${ctx.jobId}`, source);
  move(abs, dest);
  const side = withSidecar ? sidecarOf(abs) : undefined;
  if (side) move(side, dest + side.slice(abs.length));
  return dest;
}

/** Applies one change; `replaced`: an add overwrote a file of the same name (kept in the trash). */
export function applyOp(op: CorpusOp, ctx: OpsContext): { replaced: boolean } {
  const abs = corpusPath(ctx.corpusDir, op.source);
  switch (op.op) {
    case 'add': {
      // A new version keeps its metadata file: what officials set on the page still applies.
      const replaced = existsSync(abs);
      if (replaced) toTrash(abs, op.source, ctx, false);
      move(op.staged, abs);
      return { replaced };
    }
    case 'delete':
      if (existsSync(abs)) toTrash(abs, op.source, ctx, true);
      return { replaced: false };
    case 'metadata':
      if (!existsSync(abs)) throw new Error(`${op.source} is no longer in the corpus`);
      writeSidecarEdit(sidecarOf(abs) ?? abs + SIDECAR_SUFFIXES[0], op.edit, ctx.now);
      return { replaced: false };
  }
}
