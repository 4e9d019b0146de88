import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type RequestHandler } from 'express';

const DASHBOARD_PATH = '/admin/queues';

/** HTTP basic auth (user `admin`), compared in constant time. */
function basicAuth(password: string): RequestHandler {
  const expected = Buffer.from(`admin:${password}`);
  return (req, res, next) => {
    const given = Buffer.from(
      /^Basic (.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '',
      'base64',
    );
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res
      .set('WWW-Authenticate', 'Basic realm="Lead Qualifier queues"')
      .status(401)
      .json({
        error: {
          code: 'invalid_signature',
          message: 'The queue dashboard needs user admin and ADMIN_PASSWORD.',
        },
      });
  };
}

/** Bull Board on the job queue, behind ADMIN_PASSWORD. */
export function queueDashboard(queue: Queue, password: string): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: [new BullMQAdapter(queue)], serverAdapter: adapter });
  const router = Router();
  router.use(DASHBOARD_PATH, basicAuth(password), adapter.getRouter());
  return router;
}
