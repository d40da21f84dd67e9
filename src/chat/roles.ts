import type { Config } from '../config';
import type { Channel, Role } from './types';

/** Role of a user from ADMIN_IDS / TRAINER_IDS ("telegram:123"). Admins can do everything trainers can. */
export function roleOf(config: Pick<Config, 'ADMIN_IDS' | 'TRAINER_IDS'>, channel: Channel, userId: string): Role {
  const key = `${channel}:${userId}`;
  if (config.ADMIN_IDS.includes(key)) return 'admin';
  if (config.TRAINER_IDS.includes(key)) return 'trainer';
  return 'user';
}
