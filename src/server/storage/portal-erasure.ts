import type { Redis } from '../redis';
import type { Keys } from './keys';

/** A glob that matches `text` literally (Redis MATCH treats `*?[]\` as special). */
const literal = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/** Deletes the installation only if it is still the uninstalled one of that install. */
const DELETE_IF_ENDED = `
local status = redis.call('HGET', KEYS[1], 'status')
local installed = redis.call('HGET', KEYS[1], 'installedAt')
if status == 'active' or (installed and installed ~= ARGV[1]) then return 0 end
return redis.call('DEL', KEYS[1])
`;

/**
 * Every key of one portal erased (they share the portal's hash tag): models, scores and facts,
 * status log and feedback, schedules, previews, sync health. The installation record goes last,
 * and only while it is still the ended install `installedAt` (a reinstall meanwhile keeps it).
 * Answers how many keys went.
 */
export async function erasePortalKeys(
  redis: Redis,
  keys: Keys,
  portalId: number,
  installedAt: number,
): Promise<number> {
  const installation = keys.installation(portalId);
  const pattern = `${literal(keys.portal(portalId))}*`;
  let erased = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    const doomed = found.filter((k) => k !== installation);
    if (doomed.length > 0) erased += await redis.unlink(...doomed);
  } while (cursor !== '0');
  erased += Number(await redis.eval(DELETE_IF_ENDED, 1, installation, String(installedAt)));
  return erased;
}
