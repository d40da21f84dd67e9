/** `npm run cli -- ask ... --json` over the shipped corpus, offline. */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/index';
import { shippedDataDir } from '../helpers/shipped';
import { cleanupTmp, REPO } from './helpers';

const dataDir = shippedDataDir();
afterAll(() => {
  cleanupTmp();
  rmSync(dataDir, { recursive: true, force: true });
});

function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cli ask --json', () => {
  it('prints an extractive Answer with citations and a "Nguồn" block', async () => {
    const env = {
      CORPUS_DIR: 'corpus',
      // The shipped index built once for the run (a cold build is measured by npm run measure:corpus).
      DATA_DIR: dataDir,
      // Offline whatever a local .env says (dotenv never overrides variables that are set, even empty ones).
      CHAT_MODEL: '',
      OPENAI_BASE_URL: '',
      OPENAI_API_KEY: '',
      EMBEDDINGS: 'local',
      LOG_LEVEL: 'silent',
    };
    const r = await run('npm', ['run', 'cli', '--', 'ask', 'thu tuc dang ky ket hon can gi', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    // npm prints its own "> script" header first; the JSON object starts at the first line that is "{".
    const start = r.stdout.search(/^\{/m);
    expect(start, r.stdout).toBeGreaterThanOrEqual(0);
    const a = JSON.parse(r.stdout.slice(start)) as Answer;
    expect(a.mode).toBe('extractive');
    expect(a.citations.length).toBeGreaterThan(0);
    expect(a.citations[0].docId).toBe('dang-ky-ket-hon');
    expect(a.text).toContain('Nguồn');
    expect(a.text).toMatch(/kết hôn/);
    expect(a.confidence).toBeGreaterThan(0);
    expect(a.topic?.docId).toBe('dang-ky-ket-hon');
  });
});
