import { compileModel } from '../../domain/compile-model';
import { engagementObjects } from '@lead-qualifier/contract';
import { defineJob } from '../job-scope';
import { contactProperties } from '../load-facts';
import { scoreContacts } from '../score-contacts';

/** One contact, now: the card's "Rescore now". */
export const rescore = defineJob(
  'rescore',
  { installed: true, properties: true },
  async ({ portalId, contactId }, scope) => {
    const compiled = compileModel(await scope.models.active());
    // One request for the contact and the ids of everything associated with it.
    const read = await scope.crm.readContact(contactId, contactProperties(compiled), [
      'companies',
      ...engagementObjects,
    ]);
    if (!read) {
      await scope.scores.remove(contactId);
      return { gone: true };
    }
    return scoreContacts(
      scope.deps,
      portalId,
      [read.contact],
      new Map([[contactId, read.associations]]),
      'manual',
    );
  },
);
