// The build process: forked by build-runner.ts for one job, so reading PDFs (pdf.js), OCR and building the index
// use their own memory and event loop, and questions keep being answered by the server meanwhile.
import { logger } from '../log';
import { runBuild, type BuildRequest } from './build';

process.once('message', (msg: { type: 'run'; request: BuildRequest }) => {
  logger.level = msg.request.config.LOG_LEVEL;
  const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
  runBuild(msg.request, (e) => void send({ type: 'event', event: e }))
    .then((outcome) => send({ type: 'done', outcome }))
    .catch((err: Error) => {
      logger.error({ err, jobId: msg.request.jobId }, 'corpus build failed');
      return send({ type: 'error', name: err.name, message: err.message });
    })
    .finally(() => process.exit(0));
});
