// An upload accepted just before a restart is not lost: its files wait in DATA_DIR/uploads with the job, and the
// next start queues them again.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalJobQueue } from '../../src/corpus/jobs';
import { CorpusManager } from '../../src/corpus/manager';
import { LiveIndex } from '../../src/search/live-index';
import { makeFixture, type Fixture } from '../helpers/fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await makeFixture();
});
afterAll(() => fx?.cleanup());

describe('an upload interrupted by a restart', () => {
  it('is processed again at the next start', async () => {
    const live = new LiveIndex(fx.retriever);
    // The process that accepted the upload stops before its job runs (the runner never gets to finish).
    const dying = new CorpusManager({
      config: fx.config,
      live,
      queue: () => new LocalJobQueue(() => new Promise<void>(() => undefined)),
    });
    const r = await dying.upload(
      [{ name: 'Lịch trực Tết.md', data: Buffer.from('# Lịch trực Tết\n\nBộ phận một cửa trực sáng mùng 4 Tết.\n') }],
      { by: 'admin' },
    );
    expect(r.ok).toBe(true);
    const uploads = path.join(fx.config.dataDir, 'uploads');
    expect(readdirSync(uploads)).toHaveLength(1);

    const restarted = new CorpusManager({ config: fx.config, live });
    const [job] = restarted.resumeInterrupted();
    const done = await restarted.queue.finished(job.id);
    expect(done.state).toBe('done');
    expect(done.log[0].text).toMatch(/^Máy chủ khởi động lại khi đang xử lý/);
    expect(done.files).toEqual([expect.objectContaining({ source: 'tai-len/lich-truc-tet.md', status: 'indexed' })]);
    expect(existsSync(path.join(fx.config.corpusDir, 'tai-len/lich-truc-tet.md'))).toBe(true);
    expect(readdirSync(uploads)).toEqual([]);
    expect(live.version).toBe(2);
    // Nothing left to resume.
    expect(restarted.resumeInterrupted()).toEqual([]);
  }, 60_000);
});
