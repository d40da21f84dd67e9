// Who is looking at the web pages: a trainer (or admin) signed in with a one-time code from the bot, or an admin
// through ADMIN_TOKEN / localhost. Trainers see and change only their own classes.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { type AttendanceStore, webSessionIdentity } from '../attendance';
import { roleOfIdentity } from '../chat';
import type { Config } from '../config';
import type { AppEnv, Viewer } from './types';

export const TRAINER_COOKIE = 'tlhc_trainer';

export type RoleConfig = Pick<Config, 'ADMIN_IDS' | 'TRAINER_IDS'>;

/** The viewer behind the trainer cookie, if it names someone who is still a trainer or admin. */
export async function signedInViewer(
  c: Context<AppEnv>,
  store: Pick<AttendanceStore, 'webSessionIdentity' | 'isTrainer' | 'listTrainers'>,
  roles: RoleConfig,
  nowMs: number,
): Promise<Viewer | undefined> {
  const identity = await webSessionIdentity(store as AttendanceStore, getCookie(c, TRAINER_COOKIE), nowMs);
  if (!identity) return undefined;
  const role = await roleOfIdentity(roles, identity, (k) => store.isTrainer(k));
  if (role === 'user') return undefined; // removed since signing in
  const name = (await store.listTrainers()).find((t) => t.identity === identity)?.name;
  return { role, identity, name };
}

/** Class owner to scope a trainer's view to; undefined (everything) for admins. */
export const ownerScope = (v: Viewer): string | undefined => (v.role === 'admin' ? undefined : v.identity);
