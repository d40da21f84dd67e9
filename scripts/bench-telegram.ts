// Telegram concurrency benchmark: `tsx scripts/bench-telegram.ts [--chats N] [--model-ms MS] [--json]`
//
// The real grammY bot in long-polling mode against the fake Bot API on 127.0.0.1, the real chat core and
// answerer in LLM mode against a fake OpenAI-compatible server that takes `model-ms` (3 s) per answer. `chats`
// (20) different chats ask a question at the same moment; the table says when each got its final answer (the
// message with the feedback buttons). Target: all answered within 8 s (one model answer plus overhead), where a
// bot that handles one update at a time needs chats x 3 s.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createTelegramBot } from '../src/channels/telegram';
import { startFakeOpenAI } from '../test/fakes/openai-server';
import { FakeTelegram, textUpdate, type FakeCall } from '../test/fakes/telegram-server';
import { makeFixture } from '../test/helpers/fixture';

const TARGET_S = 8;
const { values } = parseArgs({
  options: {
    chats: { type: 'string', default: '20' },
    'model-ms': { type: 'string', default: '3000' },
    json: { type: 'boolean', default: false },
  },
});
const chats = Number(values.chats);
const modelMs = Number(values['model-ms']);

const telegram = await FakeTelegram.start();
const model = await startFakeOpenAI();
model.onChat(async () => {
  await new Promise((r) => setTimeout(r, modelMs));
  return 'Bạn cần tờ khai đăng ký khai sinh và giấy chứng sinh [1].';
});
const fx = await makeFixture({
  TELEGRAM_BOT_TOKEN: telegram.token,
  TELEGRAM_API_ROOT: telegram.apiRoot,
  CHAT_MODEL: 'fake-model',
  OPENAI_BASE_URL: model.baseURL,
  OPENAI_API_KEY: 'bench',
  LLM_MAX_CONCURRENT: String(Math.max(4, chats)),
  LLM_TIMEOUT_MS: String(modelMs + 30_000),
});
const bot = createTelegramBot(fx.config, fx.core());
await bot.start();

const isFinal = (c: FakeCall) =>
  (c.method === 'sendMessage' || c.method === 'editMessageText') && Boolean(c.params.reply_markup);
const ids = Array.from({ length: chats }, (_, i) => 9000 + i);
const answeredAt = new Map<number, number>();
const t0 = performance.now();
for (const id of ids)
  telegram.enqueue(textUpdate({ chatId: id, userId: id, text: 'làm giấy khai sinh cho con cần những gì' }));
const deadline = t0 + chats * modelMs + 30_000;
while (answeredAt.size < chats && performance.now() < deadline) {
  for (const c of telegram.calls) {
    const chat = Number(c.params.chat_id);
    if (isFinal(c) && ids.includes(chat) && !answeredAt.has(chat)) answeredAt.set(chat, performance.now() - t0);
  }
  await new Promise((r) => setTimeout(r, 20));
}
await bot.stop();
await telegram.close();
await model.close();
fx.cleanup();

const times = [...answeredAt.values()].sort((a, b) => a - b).map((ms) => ms / 1000);
const all = answeredAt.size === chats ? times[times.length - 1] : Number.NaN;
const result = {
  chats,
  modelSeconds: modelMs / 1000,
  answered: answeredAt.size,
  firstSeconds: times[0],
  medianSeconds: times[Math.floor(times.length / 2)],
  allSeconds: all,
  pass: answeredAt.size === chats && all < TARGET_S,
};
if (values.json) console.log(JSON.stringify(result));
else {
  const row = (a: string, b: string) => console.log(`| ${a.padEnd(44)} | ${b.padEnd(18)} |`);
  row('measure', 'value');
  row('-'.repeat(44), '-'.repeat(18));
  row('chats asking at once (long polling)', String(chats));
  row('fake model time per answer (s)', result.modelSeconds.toFixed(1));
  row('answered', `${result.answered} / ${chats}`);
  row('first / median answer (s)', `${result.firstSeconds?.toFixed(1)} / ${result.medianSeconds?.toFixed(1)}`);
  row(
    `all answered (s), target < ${TARGET_S}`,
    `${Number.isNaN(all) ? 'not all' : all.toFixed(1)} ${result.pass ? 'PASS' : 'FAIL'}`,
  );
}
process.exit(result.pass ? 0 : 1);
