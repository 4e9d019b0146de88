import type { Model } from '@lead-qualifier/contract';
import { ENGAGEMENT_TYPES } from '../sandbox/object-types';
import type { Portal } from '../sandbox/portal';
import { compileModel } from '../server/domain/compile-model';
import { DEMO_MODEL } from '../server/domain/default-model';

/**
 * The fewest HubSpot requests a backfill can make with HubSpot's batch sizes: per page of 100
 * contacts, one list, one association read per object type, the associated companies and
 * engagements read 100 at a time, the property histories the model needs read 50 at a time
 * (HubSpot's limit with histories), one batch update; plus set-up (groups, properties, one group
 * create, one property batch create, one count).
 */
export function minimumBackfillRequests(
  portal: Portal,
  model: Model = DEMO_MODEL,
  now: number = Date.now(),
): number {
  const { history } = compileModel(model);
  const contacts = [...portal.all('contacts')];
  const ids = contacts.map((c) => c.id);
  let requests = 5;
  for (let i = 0; i < ids.length; i += 100) {
    const page = ids.slice(i, i + 100);
    requests += 1 + 1 + ENGAGEMENT_TYPES.length + 1;
    const needHistory = contacts
      .slice(i, i + 100)
      .filter((c) => history.needed(c.properties, now)).length;
    requests += Math.ceil(needHistory / 50);
    const companies = new Set(
      page.flatMap((id) =>
        portal.associations
          .list('contacts', id, 'companies')
          .slice(0, 1)
          .map(([c]) => c),
      ),
    );
    requests += Math.ceil(companies.size / 100);
    for (const type of ENGAGEMENT_TYPES) {
      const linked = new Set(
        page.flatMap((id) => portal.associations.list('contacts', id, type).map(([e]) => e)),
      );
      requests += Math.ceil(linked.size / 100);
    }
  }
  return requests;
}
