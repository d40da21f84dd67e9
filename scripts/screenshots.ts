// `npm run screenshots`: refreshes docs/screenshots by running the browser tests (Debian's Chromium, phone 390×844
// and desktop) with their screenshots pointed there. The tests alone write to a temporary folder.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'docs', 'screenshots');
const r = spawnSync('npx', ['vitest', 'run', 'test/e2e/browser.test.ts', 'test/e2e/documents.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SCREENSHOT_DIR: out },
});
if (r.status === 0) process.stdout.write(`Screenshots written to ${path.relative(root, out)}/\n`);
process.exit(r.status ?? 1);
