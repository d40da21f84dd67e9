// A document sent to the bot: an admin's PDF or DOCX is added to the corpus like an upload on the documents page
// (same checks, same job queue), with a reply now and another when it is searchable; anyone else is told, kindly,
// that only officials can add documents.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { botDocMsg, type Job, type JobQueue, type Submitted, type UploadFile } from '../corpus';
import type { Logger } from '../log';
import { DownloadError, downloadFile } from '../net';
import type { Incoming, Outgoing, Role } from '../domain';

/** What the chat needs from the corpus manager. */
export interface DocumentIntake {
  readonly maxBytes: number;
  upload(files: UploadFile[], opts: { by: string; folder?: string }): Promise<Submitted>;
  readonly queue: Pick<JobQueue, 'finished' | 'ahead'>;
}

const MB = 1024 * 1024;

/** The reply once the job has finished, for each file of it. */
export function finishedReply(job: Job, fallbackName: string): Outgoing {
  const lines = job.files.length
    ? job.files.map((f) =>
        f.status === 'indexed'
          ? botDocMsg.searchable(f.name, f.chunks ?? 0, f.ocrPages ?? 0)
          : f.status === 'rejected' && f.reason
            ? botDocMsg.rejected(f.name, f.reason)
            : botDocMsg.failed(f.name),
      )
    : [
        job.state === 'done'
          ? botDocMsg.searchable(fallbackName, job.result?.chunks ?? 0, 0)
          : botDocMsg.failed(fallbackName),
      ];
  return { text: lines.join('\n') };
}

export async function receiveDocument(
  m: Incoming,
  role: Role,
  d: { intake?: DocumentIntake; log: Logger },
): Promise<{ route: string; out: Outgoing[] }> {
  if (role !== 'admin') return { route: 'document-refused', out: [{ text: botDocMsg.onlyOfficials }] };
  const doc = m.document;
  if (!d.intake || !doc) return { route: 'document-unavailable', out: [{ text: botDocMsg.unavailable }] };
  const name = (doc.fileName ?? 'tep').slice(0, 200);
  const limit = Math.min(d.intake.maxBytes, doc.platformMaxBytes ?? Infinity);
  if (doc.sizeBytes !== undefined && doc.sizeBytes > limit) {
    const text =
      doc.platformMaxBytes !== undefined && doc.sizeBytes > doc.platformMaxBytes
        ? botDocMsg.tooLargeForTelegram(doc.platformMaxBytes / MB)
        : botDocMsg.rejected(name, `tệp quá lớn (tối đa ${Math.floor(d.intake.maxBytes / MB)} MB).`);
    return { route: 'document-too-large', out: [{ text }] };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'tlhc-doc-'));
  let data: Buffer;
  try {
    const file = path.join(dir, 'upload');
    await downloadFile(await doc.url(), file, { maxBytes: limit, timeoutMs: 60_000, what: 'document' });
    data = await readFile(file);
  } catch (err) {
    d.log.warn(
      {
        channel: m.channel,
        chatId: m.chatId,
        messageId: m.messageId,
        reason: err instanceof DownloadError ? err.reason : 'url',
        err: (err as Error).message,
      },
      'chat: document download failed',
    );
    const tooLarge = err instanceof DownloadError && err.reason === 'too-large';
    return {
      route: 'document-download-failed',
      out: [
        {
          text: tooLarge
            ? botDocMsg.rejected(name, `tệp quá lớn (tối đa ${Math.floor(limit / MB)} MB).`)
            : botDocMsg.downloadFailed,
        },
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const r = await d.intake.upload([{ name, data }], { by: `${m.channel}:${m.userId}` });
  if (!r.ok)
    return { route: 'document-rejected', out: [{ text: botDocMsg.rejected(name, r.files?.[0]?.error ?? r.error) }] };
  const job = r.job;
  const ahead = d.intake.queue.ahead(job.id);
  // The answer to "is it searchable?" comes when the job ends, as a message of its own.
  void d.intake.queue
    .finished(job.id)
    .then((done) => m.sendLater?.(finishedReply(done, name)))
    .catch((err) =>
      d.log.error({ err, jobId: job.id, chatId: m.chatId }, 'chat: could not report a finished document job'),
    );
  d.log.info(
    { channel: m.channel, chatId: m.chatId, messageId: m.messageId, jobId: job.id, bytes: data.length },
    'chat: document queued',
  );
  return {
    route: 'document-queued',
    out: [{ text: ahead > 0 ? botDocMsg.queued(name, ahead) : botDocMsg.received(name) }],
  };
}
