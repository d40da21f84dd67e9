// The shipped corpus's index, built once by test/global-setup.ts: each caller gets its own copy as a DATA_DIR.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';

export function shippedDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipped-data-'));
  cpSync(path.join(inject('shippedDataDir'), 'index'), path.join(dir, 'index'), {
    recursive: true,
    preserveTimestamps: true,
  });
  return dir;
}
