// Runs a corpus job's build in a child process (build-worker.ts) and relays its events.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuildEvent, BuildOutcome, BuildRequest } from './build';

export type BuildRunner = (req: BuildRequest, onEvent: (e: BuildEvent) => void) => Promise<BuildOutcome>;

export class BuildError extends Error {
  override name = 'BuildError';
}

/** The worker next to this file: TypeScript under tsx (npm start, tests), JavaScript once compiled. */
function workerEntry(): { file: string; execArgv: string[] } {
  const ts = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(new URL(`./build-worker.${ts ? 'ts' : 'js'}`, import.meta.url));
  const tsx = ts ? pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href : undefined;
  return { file, execArgv: tsx ? ['--import', tsx] : [] };
}

/** Build processes running now (one, with the in-process queue). */
const running = new Set<ChildProcess>();

/** Stops running builds (server shutdown): their staging directories are cleaned by the next build. */
export function stopBuilds(): void {
  for (const child of running) child.kill('SIGTERM');
}

export const forkBuild: BuildRunner = (req, onEvent) =>
  new Promise((resolve, reject) => {
    const { file, execArgv } = workerEntry();
    const child = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    child.on(
      'message',
      (
        m:
          | { type: 'event'; event: BuildEvent }
          | { type: 'done'; outcome: BuildOutcome }
          | { type: 'error'; name: string; message: string },
      ) => {
        if (m.type === 'event') onEvent(m.event);
        else if (m.type === 'done') settle(() => resolve(m.outcome));
        else settle(() => reject(new BuildError(`${m.name}: ${m.message}`)));
      },
    );
    child.on('error', (err) => settle(() => reject(new BuildError(`build process failed: ${err.message}`))));
    child.on('exit', (code, signal) =>
      settle(() => reject(new BuildError(`build process exited with ${code ?? signal} before finishing`))),
    );
    child.send({ type: 'run', request: req });
  });
