import { defineJob } from '../job-scope';

/**
 * HubSpot's privacy deletion: every record of the contact and the jobs naming it are erased
 * (even after an uninstall); a second pass erases what a job running meanwhile wrote.
 */
export const contactErased = defineJob(
  'contact-erased',
  { installed: false, properties: false },
  async ({ portalId, contactId, pass }, scope) => {
    const jobsRemoved = await scope.producer.removeContactJobs(portalId, contactId, scope.job.id);
    await scope.erasure.erase(contactId);
    if (pass === 1) await scope.producer.contactErased(portalId, contactId, 2);
    scope.log.info({ pass, jobsRemoved }, 'contact erased (privacy deletion)');
    return { pass, jobsRemoved };
  },
);
