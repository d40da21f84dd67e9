import type { Config } from '../config';
import type { Channel, Role } from '../domain';

/** Role of a user from ADMIN_IDS / TRAINER_IDS ("telegram:123"). Admins can do everything trainers can. */
export function roleOf(
  config: Pick<Config, 'ADMIN_IDS' | 'TRAINER_IDS'>,
  channel: Channel,
  userId: string,
  isTrainer?: (identity: string) => Promise<boolean>,
): Promise<Role> {
  return roleOfIdentity(config, `${channel}:${userId}`, isTrainer);
}

/** Role of a "channel:userId" identity; `isTrainer` adds the trainers an admin added in the dashboard. */
export async function roleOfIdentity(
  config: Pick<Config, 'ADMIN_IDS' | 'TRAINER_IDS'>,
  identity: string,
  isTrainer?: (identity: string) => Promise<boolean>,
): Promise<Role> {
  if (config.ADMIN_IDS.includes(identity)) return 'admin';
  if (config.TRAINER_IDS.includes(identity) || (await isTrainer?.(identity))) return 'trainer';
  return 'user';
}
