// A command-line tool (tesseract, pdftoppm, ffmpeg) as a child process with a time limit, its stderr kept short.
import { spawn } from 'node:child_process';

export class ToolError extends Error {
  override name = 'ToolError';
  constructor(
    message: string,
    /** 'missing': not installed; 'timeout': killed at the time limit; 'failed': it ran and failed. */
    readonly kind: 'missing' | 'timeout' | 'failed',
  ) {
    super(message);
  }
}

export interface ToolOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs `cmd args`, resolves with its stdout (UTF-8) when it exits 0; rejects with ToolError otherwise. */
export function runTool(cmd: string, args: string[], opts: ToolOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
    const out: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString('utf8');
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        err.code === 'ENOENT'
          ? new ToolError(`${cmd} not found`, 'missing')
          : new ToolError(`${cmd}: ${err.message}`, 'failed'),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new ToolError(`${cmd} killed after ${opts.timeoutMs} ms`, 'timeout'));
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const why = stderr.trim().split('\n').filter(Boolean).pop()?.slice(0, 200) ?? '';
      reject(new ToolError(`${cmd} exited with ${code ?? signal}${why ? `: ${why}` : ''}`, 'failed'));
    });
  });
}
