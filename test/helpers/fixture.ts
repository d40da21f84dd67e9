// A small real corpus in a temp dir, with the real retriever, answerer, attendance and feedback store.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAnswerer } from '../../src/answer/index';
import { openAttendance, type Attendance } from '../../src/attendance/index';
import { createChatCore, type ChatCore } from '../../src/chat/core';
import { openFeedbackStore, type FeedbackStore } from '../../src/chat/feedback';
import { loadConfig, type Config } from '../../src/config';
import type { Answerer } from '../../src/answer/types';
import type { Incoming } from '../../src/domain/chat';
import { openRetriever } from '../../src/search/engine';
import type { VoiceTranscriber } from '../../src/voice/types';
import type { Retriever } from '../../src/search/retriever';

const REPO = path.resolve(import.meta.dirname, '../..');

/** Real procedure files copied into every fixture corpus. */
export const FIXTURE_PROCEDURES = [
  'dang-ky-khai-sinh',
  'dang-ky-tam-tru',
  'cap-giay-phep-xay-dung-nha-o-rieng-le',
  'chung-thuc-ban-sao',
];

/** Title of the synthetic procedure with long lines and HTML-special characters (for splitting and escaping). */
export const LONG_PROCEDURE_TITLE = 'Cấp phép treo biển quảng cáo ngoài trời';

function longProcedure(): string {
  const item = (i: number) =>
    `- Giấy tờ số ${i} cho biển quảng cáo ngoài trời: bản vẽ có kích thước < 20 m² & ghi rõ vị trí, chất liệu, màu sắc, ` +
    'khung sắt, móng, chiếu sáng, cam kết an toàn của chủ biển với chính quyền xã và người dân xung quanh. '
      .repeat(5)
      .trim();
  return [
    '---',
    'id: cap-phep-bien-quang-cao',
    `title: ${LONG_PROCEDURE_TITLE}`,
    'linh_vuc: Văn hóa',
    'co_quan: UBND cấp xã',
    'can_cu: ["Luật Quảng cáo 2012"]',
    'tu_khoa: ["biển quảng cáo", "treo biển", "bảng hiệu"]',
    '---',
    `# ${LONG_PROCEDURE_TITLE}`,
    '',
    '## Cơ quan thực hiện',
    'Hồ sơ cấp phép treo biển quảng cáo ngoài trời nộp tại UBND cấp xã nơi đặt biển.',
    '',
    '## Thành phần hồ sơ',
    'Hồ sơ cấp phép treo biển quảng cáo ngoài trời gồm:',
    ...Array.from({ length: 14 }, (_, i) => item(i + 1)),
    '',
    '## Thời hạn giải quyết',
    'Cấp phép treo biển quảng cáo trong 05 ngày làm việc.',
    '',
    '## Lệ phí',
    'Lệ phí cấp phép treo biển quảng cáo: biển < 20 m² miễn phí; biển lớn hơn thu theo mức của tỉnh & thành phố.',
    '',
  ].join('\n');
}

export interface Fixture {
  dir: string;
  config: Config;
  retriever: Retriever;
  answerer: Answerer;
  attendance: Attendance;
  feedback: FeedbackStore;
  /** A chat core over the fixture; `overrides` replace deps (e.g. a failing answerer) or add a voice transcriber. */
  core(overrides?: { answerer?: Answerer; now?: () => Date; config?: Config; voice?: VoiceTranscriber }): ChatCore;
  cleanup(): void;
}

/** Index directories already built in this worker, by corpus, under the run's cache (test/global-setup.ts). */
const builtIndexes = new Map<string, string>();

/** `files`: extra corpus files, corpus-relative path -> file to copy (e.g. a shipped law and its sidecar). */
export async function makeFixture(
  env: Record<string, string> = {},
  opts: { longDoc?: boolean; files?: Record<string, string> } = {},
): Promise<Fixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tlhc-chat-'));
  const corpus = path.join(dir, 'corpus', 'thu-tuc');
  mkdirSync(corpus, { recursive: true });
  for (const id of FIXTURE_PROCEDURES)
    copyFileSync(path.join(REPO, 'corpus/thu-tuc', `${id}.md`), path.join(corpus, `${id}.md`));
  if (opts.longDoc) writeFileSync(path.join(corpus, 'cap-phep-bien-quang-cao.md'), longProcedure());
  for (const [rel, from] of Object.entries(opts.files ?? {})) {
    mkdirSync(path.dirname(path.join(dir, 'corpus', rel)), { recursive: true });
    copyFileSync(from, path.join(dir, 'corpus', rel));
  }
  const config = loadConfig(
    { CORPUS_DIR: path.join(dir, 'corpus'), DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent', ...env },
    { dotenv: false },
  );
  // The same corpus is indexed once per test worker: later fixtures start from a copy (the ingest then only checks
  // the files' hashes, as after a restart).
  const cacheRoot = process.env.TLHC_FIXTURE_CACHE;
  const key =
    cacheRoot && config.EMBEDDINGS === 'local' ? JSON.stringify({ opts, dim: config.EMBEDDING_DIM }) : undefined;
  const cached = key ? builtIndexes.get(key) : undefined;
  if (cached) cpSync(cached, config.indexDir, { recursive: true });
  const retriever = await openRetriever(config, { log: () => {} });
  if (key && !cached && existsSync(config.indexDir)) {
    const copy = mkdtempSync(path.join(cacheRoot!, `${process.pid}-`));
    cpSync(config.indexDir, copy, { recursive: true });
    builtIndexes.set(key, copy);
  }
  const answerer = createAnswerer(config, retriever);
  const attendance = openAttendance({
    dbPath: path.join(config.dataDir, 'attendance.db'),
    logger: { error: () => {}, warn: () => {} },
  });
  const feedback = openFeedbackStore(path.join(config.dataDir, 'feedback.db'));
  return {
    dir,
    config,
    retriever,
    answerer,
    attendance,
    feedback,
    core: (o = {}) =>
      createChatCore({
        config: o.config ?? config,
        answerer: o.answerer ?? answerer,
        attendance,
        retriever,
        feedback,
        now: o.now,
        voice: o.voice,
      }),
    cleanup() {
      attendance.close();
      feedback.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An Incoming text message with sensible defaults. */
let nextId = 1;
export function textMsg(text: string, o: Partial<Incoming> = {}): Incoming {
  return {
    channel: 'telegram',
    chatId: '100',
    userId: '100',
    userName: 'Nguyễn Văn An',
    text,
    isGroup: false,
    messageId: `m${nextId++}`,
    kind: 'text',
    ...o,
  };
}
