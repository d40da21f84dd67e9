// Child process for durability.test.ts: `node --import tsx test/attendance/durability-worker.ts <db> <code> [count]`.
// Sends a burst of check-ins through attendance.handle() and prints "ACK <userId>" after each acknowledged one
// (stdout to a pipe is synchronous on Linux, so an ACK is on the pipe before the next check-in starts). Every
// third message is delivered twice, as a platform retry would. The parent kills this process with SIGKILL.
import { openAttendance } from '../../src/attendance';

const [dbPath, code, countArg] = process.argv.slice(2);
if (!dbPath || !code) {
  console.error('usage: durability-worker.ts <db> <code> [count]');
  process.exit(2);
}
const count = Number(countArg ?? 100_000);
const attendance = openAttendance({ dbPath });
process.stdout.write('READY\n');
for (let i = 0; i < count; i++) {
  const msg = {
    channel: 'zalo' as const,
    chatId: `chat-${i}`,
    userId: `user-${i}`,
    userName: `Học viên ${i}`,
    text: `diemdanh ${code} Học viên ${i}`,
    isGroup: false,
    messageId: `m-${i}`,
  };
  const deliveries = i % 3 === 0 ? 2 : 1;
  for (let d = 0; d < deliveries; d++) {
    const reply = await attendance.handle(msg, 'user');
    if (d === 0 && reply?.text.startsWith('✅')) process.stdout.write(`ACK ${msg.userId}\n`);
  }
}
process.stdout.write('DONE\n');
attendance.close();
