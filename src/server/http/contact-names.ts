import { withinDeadline } from '../deadline';
import type { CrmPort } from '../hubspot/crm-port';
import type { Logger } from '../logger';

/** How long a report waits for the contacts' names before it goes on without them. */
const NAMES_DEADLINE_MS = 3_000;

/**
 * The contacts' names as HubSpot holds them now ("Ann Lee", or the e-mail address when it has no
 * name), for a report's answer: names are never stored here. The report goes on without them
 * when HubSpot is slow or refuses (each row then links to the contact by id).
 */
export async function contactNames(
  deps: { crm: CrmPort; logger: Logger },
  portalId: number,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const read = deps.crm
    .readObjects(portalId, 'contacts', unique, ['firstname', 'lastname', 'email'])
    .catch((error: unknown) => {
      deps.logger.warn({ portalId, err: error }, 'contact names not read for a report');
      return null;
    });
  const contacts = await withinDeadline(read, NAMES_DEADLINE_MS, null);
  const names = new Map<string, string>();
  for (const c of contacts ?? []) {
    const p = c.properties;
    const name = [p['firstname'], p['lastname']].filter((v) => v && v.trim()).join(' ');
    const shown = name || p['email'];
    if (shown) names.set(c.id, shown);
  }
  return names;
}
