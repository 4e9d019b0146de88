import { describe, expect, it } from 'vitest';
import { failureWords } from '../../src/app/settings/components/failure-words';
import { JOB_CATALOGUE } from '../../src/server/queue/job-catalogue';

describe('failed jobs in sync health', () => {
  it.each(Object.keys(JOB_CATALOGUE))('%s is said in words, with what it leaves undone', (job) => {
    const words = failureWords({ at: 0, job, portalId: 1, data: {}, error: 'boom' });
    expect(words.what).not.toContain(`(${job})`);
    expect(words.what).toMatch(/^[A-Z]/);
    expect(words.effect.length).toBeGreaterThan(10);
  });
});
