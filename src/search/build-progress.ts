import cliProgress from 'cli-progress';
import type { IngestOptions, IngestProgress, IngestReport } from './build';

const LABEL: Record<IngestProgress['phase'], string> = { scan: 'Scanning', load: 'Indexing', build: 'Saving  ' };

/** A progress bar on a TTY, plain lines otherwise (logs, CI). */
export function consoleProgress(
  stream: NodeJS.WriteStream = process.stderr,
): Pick<IngestOptions, 'onProgress' | 'onProblem' | 'onOcrPage'> & { stop(): void } {
  let bar: cliProgress.SingleBar | undefined;
  let phase: string | undefined;
  let lastLine = 0;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    onProgress(p) {
      if (p.phase !== phase) {
        stop();
        phase = p.phase;
        if (stream.isTTY && p.total > 1) {
          bar = new cliProgress.SingleBar(
            {
              stream,
              format: `${LABEL[p.phase]} [{bar}] {value}/{total} {source}`,
              hideCursor: true,
              clearOnComplete: false,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total, p.done, { source: '' });
        } else if (!stream.isTTY) {
          stream.write(`${LABEL[p.phase].trim()}: ${p.total} item(s)\n`);
        }
      }
      if (bar) bar.update(p.done, { source: p.source ?? '' });
      else if (!stream.isTTY && p.total >= 1000 && p.done - lastLine >= p.total / 10) {
        lastLine = p.done;
        stream.write(`  ${p.done}/${p.total}\n`);
      }
    },
    // A long scan takes seconds per page: say which page is being read.
    onOcrPage(source, done, total) {
      if (bar) bar.update({ source: `${source} (OCR ${done}/${total})` });
      else if (!stream.isTTY && (done === total || done % 10 === 0))
        stream.write(`  OCR ${source}: ${done}/${total} page(s)\n`);
    },
    onProblem(p) {
      if (bar) stream.write('\n');
      stream.write(
        `${p.status === 'failed' ? 'FAILED ' : p.status === 'warning' ? 'WARNING' : 'SKIPPED'} ${p.source}: ${p.reason}\n`,
      );
    },
    stop,
  };
}

export function formatReport(r: IngestReport): string {
  return (
    `Ingest finished in ${(r.durationMs / 1000).toFixed(1)} s: ${r.indexed} indexed, ${r.unchanged} unchanged, ` +
    `${r.skipped} skipped, ${r.failed} failed, ${r.deleted} removed; ${r.chunks} chunks (${r.embedded} embedded).` +
    (r.warnings ? ` ${r.warnings} warning(s) (see above).` : '')
  );
}
