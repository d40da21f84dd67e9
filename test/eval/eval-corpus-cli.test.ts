// `npm run eval -- --corpus DIR`: evaluates over another corpus, indexed in a cache of its own, DATA_DIR untouched.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'eval-corpus-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every file under `dir`, relative, sorted (empty when it does not exist). */
function listing(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

describe('npm run eval -- --corpus DIR', () => {
  it('answers from the given files only, and leaves DATA_DIR as it was', async () => {
    // Two procedures of the shipped corpus, copied to a folder of their own.
    const corpus = path.join(tmp, 'two-procedures', 'thu-tuc');
    mkdirSync(corpus, { recursive: true });
    for (const id of ['dang-ky-khai-sinh', 'dang-ky-tam-tru']) copyFileSync(path.join(root, 'corpus/thu-tuc', `${id}.md`), path.join(corpus, `${id}.md`));

    // The bot's own data folder, with something in it that must stay as it is.
    const dataDir = path.join(tmp, 'data');
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, 'keep.txt'), 'do not touch');
    const before = listing(dataDir);

    const questions = path.join(tmp, 'q.jsonl');
    writeFileSync(
      questions,
      [
        { id: 'k1', category: 'procedure', question: 'đăng ký khai sinh cần giấy tờ gì', expect: ['giấy chứng sinh'] },
        { id: 'f1', category: 'followup', question: 'lệ phí bao nhiêu', expect: ['15.000 đồng'], history: ['đăng ký tạm trú cần giấy tờ gì'] },
        // In the shipped corpus (CORPUS_DIR below), not in the two files: must be declined.
        { id: 'o1', category: 'out_of_scope', question: 'xin giấy phép xây dựng nhà ở mất bao lâu', expect: [] },
      ]
        .map((q) => JSON.stringify(q))
        .join('\n'),
    );

    const cache = path.join(tmp, 'cache');
    mkdirSync(cache);
    const { stdout } = await run('npx', ['tsx', 'scripts/eval.ts', '--questions', questions, '--corpus', path.join(tmp, 'two-procedures'), '--json'], {
      cwd: root,
      // TMPDIR: the evaluation's own index lands under our temp folder, and is removed with it.
      env: { ...process.env, CORPUS_DIR: path.join(root, 'corpus'), DATA_DIR: dataDir, LOG_LEVEL: 'silent', TMPDIR: cache, CHAT_MODEL: '', OPENAI_BASE_URL: '' },
      maxBuffer: 10 * 1024 * 1024,
    });
    const r = JSON.parse(stdout);
    expect(r.overall).toMatchObject({ n: 3, in_scope: 2, out_of_scope: 1, answer_hit_rate: 1, wrong_answer_rate: 0, decline_rate: 1, answered_out_of_scope_rate: 0 });
    expect(r.categories.followup.answer_hit_rate).toBe(1);

    expect(listing(dataDir)).toEqual(before);
    expect(readFileSync(path.join(dataDir, 'keep.txt'), 'utf8')).toBe('do not touch');
    // The index was built in the evaluation cache, from a copy of the two files.
    const built = listing(path.join(cache, 'tro-ly-eval'));
    expect(built.filter((p) => p.endsWith('.md')).map((p) => path.basename(p)).sort()).toEqual(['dang-ky-khai-sinh.md', 'dang-ky-tam-tru.md']);
    expect(built.some((p) => /\/index\//.test(`/${p}`))).toBe(true);
  }, 180_000);
});
