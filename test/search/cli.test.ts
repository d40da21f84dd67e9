import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, copyMiniCorpus, tempDir } from '../fixtures/make-fixtures';

/** `npm run cli -- search "..." --json` as a user runs it, against a temporary corpus and data directory. */
const t = tempDir('cli-');
const corpusDir = path.join(t.dir, 'corpus');
const dataDir = path.join(t.dir, 'data');
beforeAll(() => copyMiniCorpus(corpusDir));
afterAll(() => t.cleanup());

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'cli', '--', ...args], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CORPUS_DIR: corpusDir,
        DATA_DIR: dataDir,
        EMBEDDINGS: 'local',
        EMBEDDING_DIM: '256',
        CHAT_MODEL: '',
        OPENAI_BASE_URL: '',
        OPENAI_API_KEY: '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface CliJson {
  results: { text: string; score: number; citation: Record<string, unknown> }[];
  confidence: number;
}

describe('cli search --json', () => {
  it('builds the index on first use and prints results with full citations', async () => {
    const { code, stdout, stderr } = await cli(['search', 'làm giấy khai sinh cần giấy tờ gì', '--json']);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as CliJson;
    expect(out.results.length).toBeGreaterThan(0);
    expect(out.results.length).toBeLessThanOrEqual(5);
    for (const r of out.results) {
      expect(typeof r.text).toBe('string');
      expect(r.text.length).toBeGreaterThan(0);
      expect(typeof r.score).toBe('number');
      expect(Object.keys(r.citation).sort()).toEqual([
        'article',
        'chapter',
        'clause',
        'docId',
        'docNumber',
        'kind',
        'page',
        'source',
        'status',
        'title',
        'validity',
      ]);
    }
    expect(out.results[0].citation).toMatchObject({
      docId: 'dang-ky-khai-sinh',
      title: 'Đăng ký khai sinh',
      kind: 'procedure',
      source: 'thu-tuc/dang-ky-khai-sinh.md',
      docNumber: null,
      page: null,
    });
    expect(typeof out.confidence).toBe('number');
    // The first run had to build the index and said so on stderr, not stdout.
    expect(stderr).toMatch(/Index needs building \(no index yet\)/);
  });

  it('honours --kind and -k, and reports document numbers of regulations', async () => {
    const { code, stdout, stderr } = await cli([
      'search',
      'thẩm quyền đăng ký khai sinh cấp xã',
      '--kind',
      'regulation',
      '-k',
      '2',
      '--json',
    ]);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as CliJson;
    expect(out.results.length).toBeGreaterThan(0);
    expect(out.results.length).toBeLessThanOrEqual(2);
    for (const r of out.results)
      expect(r.citation).toMatchObject({ kind: 'regulation', docNumber: '120/2025/NĐ-CP', docId: 'nd-120-2025' });
    // The index from the first test was reused.
    expect(stderr).not.toMatch(/Index needs building/);
  });

  it('a missing corpus is a clear error with exit code 1', async () => {
    const { code, stdout, stderr } = await cli(['search', 'khai sinh', '--json'], {
      CORPUS_DIR: path.join(t.dir, 'khong-co'),
      DATA_DIR: path.join(t.dir, 'data2'),
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Corpus directory not found/);
  });
});
