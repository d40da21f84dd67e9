import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hitRank, readQuestions } from '../../scripts/eval-lib';
import { shippedDataDir } from '../helpers/shipped';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'eval-test-'));
const dataDir = shippedDataDir();
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const QUESTIONS = [
  { id: 't1', category: 'procedure', question: 'đăng ký khai sinh cần giấy tờ gì', expect: ['giấy chứng sinh'] },
  { id: 't2', category: 'no_diacritics', question: 'dang ky tam tru mat bao nhieu tien', expect: ['15.000 đồng'] },
  { id: 't3', category: 'out_of_scope', question: 'giá vàng hôm nay bao nhiêu', expect: [] },
];

function evalCmd(args: string[]) {
  return run('npx', ['tsx', 'scripts/eval.ts', ...args], {
    cwd: root,
    env: { ...process.env, CORPUS_DIR: path.join(root, 'corpus'), DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    maxBuffer: 10 * 1024 * 1024,
  });
}

describe('npm run eval', () => {
  const file = path.join(tmp, 'q.jsonl');
  writeFileSync(file, QUESTIONS.map((q) => JSON.stringify(q)).join('\n'));

  it('prints the JSON report for any question file', async () => {
    const { stdout } = await evalCmd(['--questions', file, '--json']);
    const r = JSON.parse(stdout);
    for (const k of ['recall@1', 'recall@5', 'mrr@10', 'answer_hit_rate', 'decline_rate', 'false_decline_rate']) {
      expect(r.overall[k]).toBeGreaterThanOrEqual(0);
      expect(r.overall[k]).toBeLessThanOrEqual(1);
    }
    expect(Object.keys(r.categories).sort()).toEqual(['no_diacritics', 'out_of_scope', 'procedure']);
    expect(r.overall['recall@5']).toBe(1);
    expect(r.overall.decline_rate).toBe(1);
    expect(r.baseline['recall@5']).toBeGreaterThanOrEqual(0);
    // The plain baseline cannot match a question typed without diacritics.
    expect(r.baseline.categories.no_diacritics['recall@5']).toBe(0);
  }, 120_000);

  it('prints a table with every category and the overall line', async () => {
    const { stdout } = await evalCmd(['--questions', file]);
    expect(stdout).toMatch(/\| procedure\s+\| 1 /);
    expect(stdout).toMatch(/\| overall\s+\| 3 /);
    expect(stdout).toMatch(/Latency: search p50/);
  }, 120_000);
});

describe('eval helpers', () => {
  it('matches fragments diacritic-folded, case-insensitively, with whitespace collapsed', () => {
    expect(hitRank(['Không liên quan', 'Bản chính  GIẤY CHỨNG\nSINH'], ['giay chung sinh'])).toBe(2);
    expect(hitRank(['abc'], ['xyz'])).toBeNull();
  });

  it('rejects a malformed question file with its line number', () => {
    const bad = path.join(tmp, 'bad.jsonl');
    writeFileSync(bad, '{"id":"a","category":"x","question":"q","expect":[]}\n{not json}\n');
    expect(() => readQuestions(bad)).toThrow(/bad\.jsonl:2/);
  });

  it('the shipped question file is well-formed: 150+ questions, unique ids, every category', () => {
    const qs = readQuestions(path.join(root, 'test/eval/questions.jsonl'));
    expect(qs.length).toBeGreaterThanOrEqual(150);
    expect(new Set(qs.map((q) => q.id)).size).toBe(qs.length);
    const cats = new Set(qs.map((q) => q.category));
    for (const c of ['procedure', 'decentralization', 'news', 'no_diacritics', 'abbreviation', 'colloquial', 'typo', 'english', 'out_of_scope']) {
      expect(cats.has(c)).toBe(true);
    }
    for (const q of qs) expect(q.category === 'out_of_scope' ? q.expect.length === 0 : q.expect.length > 0).toBe(true);
  });
});
