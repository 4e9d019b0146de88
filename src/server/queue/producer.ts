import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from '../redis';
import { JOB_CATALOGUE, type JobName, type JobPayload } from './job-catalogue';

export const QUEUE_NAME = 'jobs';

/** How long events for one contact are gathered into one rescore. */
export const RESCORE_DEBOUNCE_MS = 400;

/** Adds catalogued jobs, validating each payload; job ids never contain ':' (BullMQ). */
export function createProducer(connection: Redis, prefix: string) {
  const queue = new Queue(QUEUE_NAME, { connection, prefix });

  async function add<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: JobsOptions = {},
  ): Promise<void> {
    const data = JOB_CATALOGUE[name].schema.parse(payload);
    await queue.add(name, data, { ...JOB_CATALOGUE[name].options, ...options });
  }

  return {
    queue,
    add,
    setupPortal: (portalId: number) =>
      add('setup-portal', { portalId }, { jobId: `setup-${portalId}-${Date.now()}` }),
    backfillPage: (portalId: number, runId: string, after: string | null) =>
      add(
        'backfill-page',
        { portalId, runId, after },
        { jobId: `backfill-${portalId}-${runId}-${after ?? 'start'}` },
      ),
    /** One pending rescore per contact: events arriving while it waits are absorbed by it. */
    rescore: (
      portalId: number,
      contactId: string,
      reason: JobPayload<'rescore'>['reason'],
      suffix = '',
    ) =>
      add(
        'rescore',
        { portalId, contactId, reason },
        {
          jobId: `rescore-${portalId}-${contactId}${suffix}`,
          delay: reason === 'webhook' ? RESCORE_DEBOUNCE_MS : 0,
        },
      ),
    /** The webhook route's path: many contacts in one round trip. */
    rescoreMany: async (portalId: number, contactIds: string[]) => {
      if (contactIds.length === 0) return;
      await queue.addBulk(
        contactIds.map((contactId) => ({
          name: 'rescore',
          data: JOB_CATALOGUE.rescore.schema.parse({ portalId, contactId, reason: 'webhook' }),
          opts: {
            ...JOB_CATALOGUE.rescore.options,
            jobId: `rescore-${portalId}-${contactId}`,
            delay: RESCORE_DEBOUNCE_MS,
          },
        })),
      );
    },
    engagementCreated: (
      portalId: number,
      objectType: JobPayload<'engagement-created'>['objectType'],
      objectId: string,
    ) =>
      add(
        'engagement-created',
        { portalId, objectType, objectId },
        { jobId: `engagement-${portalId}-${objectType}-${objectId}` },
      ),
    contactDeleted: (portalId: number, contactId: string) =>
      add(
        'contact-deleted',
        { portalId, contactId },
        { jobId: `deleted-${portalId}-${contactId}` },
      ),
    sweep: (portalId: number) =>
      add('sweep', { portalId }, { jobId: `sweep-${portalId}-${Math.floor(Date.now() / 60_000)}` }),
    close: () => queue.close(),
  };
}
export type Producer = ReturnType<typeof createProducer>;
