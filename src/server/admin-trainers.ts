// /admin/trainers (admins only): who may run classes. TRAINER_IDS / ADMIN_IDS from the configuration are shown
// read-only; trainers added here are stored with the attendance data and can be removed (their web sessions end).
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { type AttendanceStore, cleanName, cleanText } from '../attendance';
import { trainersPage } from './trainers-page';
import type { RoleConfig } from './trainer-auth';
import type { AppEnv } from './types';

/** "telegram:123456", "zalo:abc", "zalo-oa:…" — what /id tells a trainer. */
const IDENTITY_RE = /^(telegram|zalo|zalo-oa|web):[A-Za-z0-9_.-]{1,64}$/;

export function trainerRoutes(d: { store: AttendanceStore; roles: RoleConfig; now: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const adminOnly = async (c: Context<AppEnv>, next: () => Promise<void>) => {
    if (c.get('viewer')?.role !== 'admin') return c.text('Chỉ quản trị viên được quản lý giảng viên.', 403);
    return next();
  };
  app.use('/admin/trainers', adminOnly);
  app.use('/admin/trainers/*', adminOnly);
  const page = async (c: Context<AppEnv>, o: { error?: string; saved?: string } = {}, status: 200 | 400 = 200) =>
    c.html(trainersPage({ stored: await d.store.listTrainers(), roles: d.roles, ...o }), status);
  const form = async (c: Context<AppEnv>) => (await c.req.parseBody().catch(() => ({}))) as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');

  app.get('/admin/trainers', (c) => page(c, { saved: c.req.query('saved') }));

  app.post('/admin/trainers', bodyLimit({ maxSize: 4096 }), async (c) => {
    const f = await form(c);
    const identity = cleanText(str(f.identity)).replace(/\s+/g, '');
    const name = cleanName(str(f.name));
    if (!IDENTITY_RE.test(identity)) {
      return page(
        c,
        {
          error:
            'Mã người dùng phải có dạng kênh:mã, ví dụ telegram:123456789 hoặc zalo:abc123 (giảng viên gửi /id cho bot để biết mã).',
        },
        400,
      );
    }
    if (!name) return page(c, { error: 'Hãy nhập họ tên giảng viên.' }, 400);
    await d.store.upsertTrainer({
      identity,
      name,
      addedBy: c.get('viewer').identity ?? 'admin',
      addedAt: d.now().getTime(),
    });
    return c.redirect('/admin/trainers?saved=added', 303);
  });

  app.post('/admin/trainers/remove', bodyLimit({ maxSize: 4096 }), async (c) => {
    const identity = str((await form(c)).identity);
    if (!(await d.store.removeTrainer(identity))) return page(c, { error: 'Không tìm thấy giảng viên này.' }, 400);
    return c.redirect('/admin/trainers?saved=removed', 303);
  });
  return app;
}
