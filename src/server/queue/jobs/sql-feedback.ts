import { compileModel } from '../../domain/compile-model';
import { engagementObjects } from '@lead-qualifier/contract';
import { planFeedbackWrites } from '../../domain/write-back';
import { defineJob } from '../job-scope';
import { contactProperties } from '../load-facts';
import { scoreContacts } from '../score-contacts';

/** A rep accepted or rejected an SQL: the feedback properties are written, then a rescore. */
export const sqlFeedback = defineJob(
  'sql-feedback',
  { installed: true, properties: true },
  async ({ portalId, contactId, feedbackId }, scope) => {
    const record = await scope.feedback.latest(contactId);
    // A newer decision on the same contact has its own job: this one has nothing to add.
    if (!record || record.id !== feedbackId) return { skipped: 'superseded' };
    const properties = planFeedbackWrites(record);
    const { missing } = await scope.crm.updateContacts([{ id: contactId, properties }]);
    if (missing.length > 0) {
      await scope.scores.remove(contactId);
      return { gone: true };
    }
    const compiled = compileModel(await scope.models.active());
    const read = await scope.crm.readContact(contactId, contactProperties(compiled), [
      'companies',
      ...engagementObjects,
    ]);
    if (!read) return { gone: true };
    // What we just wrote counts even if HubSpot's read is a moment behind its write.
    const contact = { ...read.contact, properties: { ...read.contact.properties, ...properties } };
    return scoreContacts(
      scope.deps,
      portalId,
      [contact],
      new Map([[contactId, read.associations]]),
      'feedback',
    );
  },
);
