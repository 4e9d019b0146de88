import { describe, expect, it } from 'vitest';
import { deleteKeys } from '../support/redis';
import { backfillDone, testStack } from '../support/stack';

describe('Redis comes back empty', () => {
  it('/readyz says the data is gone and what to do, instead of answering ready while every portal looks uninstalled', async () => {
    const stack = await testStack('redis-lost', { contacts: 50 });
    try {
      await stack.install();
      await backfillDone(stack);
      const ready = await fetch(`${stack.appUrl}/readyz`);
      expect(ready.status).toBe(200);
      // Redis restarted without persistence: every key of the app is gone.
      await deleteKeys(stack.runtime.redis, stack.runtime.keys.prefix);
      const lost = await fetch(`${stack.appUrl}/readyz`);
      expect(lost.status).toBe(503);
      expect(((await lost.json()) as { error: { message: string } }).error.message).toMatch(
        /Redis has lost Lead Qualifier's data.*runbook/,
      );
      // A reinstall brings the portal back: ready again.
      await stack.install();
      expect((await fetch(`${stack.appUrl}/readyz`)).status).toBe(200);
    } finally {
      await stack.close();
    }
  }, 60_000);
});
