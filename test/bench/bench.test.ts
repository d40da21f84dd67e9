import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../scripts/bench';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runQuickBench(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'scripts/bench.ts', '--quick', '--chunks', '600', '--queries', '30', '--json'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const positive = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;

describe('npm run bench -- --quick --chunks 600 --queries 30 --json', () => {
  it('reports every metric with sane values', { timeout: 300_000 }, async () => {
    // The index directory of a killed run (its process is gone) is cleaned up by the next run.
    const stale = path.join(ROOT, 'data/bench', `run-600-${2 ** 22 + 1}`);
    mkdirSync(stale, { recursive: true });
    const { code, stdout, stderr } = await runQuickBench();
    expect(existsSync(stale)).toBe(false);
    expect(code, stderr).toBe(0);
    const r = JSON.parse(stdout) as BenchResult;

    expect(r.machine.cores).toBeGreaterThan(0);
    expect(r.machine.cpu).toBeTruthy();
    expect(r.command).toMatch(/bench\.ts --quick --chunks 600 --queries 30 --json|npm run bench/);
    expect(r.sizes).toHaveLength(1);

    const s = r.sizes[0];
    // ~600 chunks (a smaller --chunks than --quick's 2,000, to keep npm test short): the generator stops once the
    // target is met, so it is over by less than one document.
    expect(s.chunks).toBeGreaterThanOrEqual(600);
    expect(s.chunks).toBeLessThan(800);
    expect(s.corpus.legalChunks + s.corpus.procedureChunks).toBe(s.chunks);
    for (const v of [
      s.ingest.seconds,
      s.ingest.chunksPerSecond,
      s.indexBuild.seconds,
      s.indexBuild.hnswSeconds,
      s.indexBuild.bm25Seconds,
      s.indexLoadSeconds,
      s.indexBytes,
      s.peakRssMB,
      s.search.p50,
      s.search.p95,
      s.search.p99,
      s.answer.p50,
      s.answer.p95,
      s.answer.p99,
    ]) {
      expect(positive(v), JSON.stringify(s)).toBe(true);
    }
    expect(s.search.p50).toBeLessThanOrEqual(s.search.p95);
    expect(s.search.p95).toBeLessThanOrEqual(s.search.p99);
    expect(s.answer.p50).toBeLessThanOrEqual(s.answer.p99);
    expect(s.search.n).toBe(s.queries.n);
    expect(s.queries.n).toBe(30);
    expect(s.queries.folded).toBeGreaterThan(0);
    expect(s.answer.extractive + s.answer.declined).toBe(s.queries.n);
    expect(s.peakRssMB).toBeLessThan(16 * 1024);
    expect(s.ingest.seconds).toBeLessThan(240);
    expect(s.recallAt10).toBeGreaterThan(0);
    expect(s.recallAt10).toBeLessThanOrEqual(1);
    expect(s.ef).toBeGreaterThanOrEqual(10);

    if ('skipped' in r.pdf) {
      expect(r.pdf.skipped).toMatch(/DejaVuSans/);
    } else {
      expect(r.pdf.pages).toBeGreaterThan(1);
      expect(positive(r.pdf.pagesPerSecond)).toBe(true);
      expect(r.pdf.chunks).toBeGreaterThan(0);
    }

    if ('skipped' in r.ocr) {
      expect(r.ocr.skipped).toMatch(/tesseract|pdftoppm/i);
    } else {
      expect(r.ocr.pages).toBe(2);
      expect(positive(r.ocr.pagesPerSecond)).toBe(true);
      expect(r.ocr.cleanCer).toBeGreaterThanOrEqual(0);
      expect(r.ocr.noisyCer).toBeLessThan(1);
    }

    expect(positive(r.attendance.checkinsPerSecond)).toBe(true);
    expect(positive(r.attendance.serviceP99Ms)).toBe(true);
    expect(r.attendance.errors).toBe(0);
    expect(r.attendance.rowsInDb).toBe(r.attendance.distinctUsers);

    const ocrTargets = 'skipped' in r.ocr ? [] : ['ocrCleanCer', 'ocrNoisyCer'];
    expect(r.targets.map((t) => t.metric).sort()).toEqual(
      [
        'answerP95Ms',
        'attendanceCheckinsPerSecond',
        'attendanceP99Ms',
        'ingestChunksPerSecond',
        'ingestSeconds',
        'peakRssMB',
        'recallAt10',
        'searchP95Ms',
        ...ocrTargets,
      ].sort(),
    );
    for (const t of r.targets) expect(typeof t.pass).toBe('boolean');
    expect(r.pass).toBe(r.targets.every((t) => t.pass));
  });
});
