import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process (or per test), never prom-client's global one. */
export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  hubspotRequests: Counter<'endpoint' | 'status'>;
  hubspotRequestDuration: Histogram<'endpoint' | 'status'>;
  rateLimitWaitSeconds: Counter<'bucket'>;
  jobDuration: Histogram<'job' | 'outcome'>;
  webhookEvents: Counter<'outcome'>;
  /** Seconds from a change in HubSpot (webhook occurredAt) to our properties written. */
  freshnessSeconds: Histogram;
  contactsWritten: Counter;
  /** HubSpot refused our client id or secret (a misconfigured deployment). */
  oauthClientRejected: Counter;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'lq_http_request_duration_seconds',
      help: 'HTTP request duration by route and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'lq_http_requests_total',
      help: 'HTTP requests by route and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    hubspotRequests: new Counter({
      name: 'lq_hubspot_requests_total',
      help: 'HubSpot API requests by endpoint and status.',
      labelNames: ['endpoint', 'status'],
      registers: [registry],
    }),
    hubspotRequestDuration: new Histogram({
      name: 'lq_hubspot_request_duration_seconds',
      help: 'HubSpot API request duration.',
      labelNames: ['endpoint', 'status'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    rateLimitWaitSeconds: new Counter({
      name: 'lq_rate_limit_wait_seconds_total',
      help: "Time spent waiting for a slot of a portal's HubSpot rate limit.",
      labelNames: ['bucket'],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'lq_job_duration_seconds',
      help: 'Job run time by job and outcome.',
      labelNames: ['job', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
      registers: [registry],
    }),
    webhookEvents: new Counter({
      name: 'lq_webhook_events_total',
      help: 'Webhook events received, by what was done with them.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    freshnessSeconds: new Histogram({
      name: 'lq_freshness_seconds',
      help: 'From a change in HubSpot to the re-qualified properties written back.',
      buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60],
      registers: [registry],
    }),
    contactsWritten: new Counter({
      name: 'lq_contacts_written_total',
      help: 'Contacts whose Lead Qualifier properties were written.',
      registers: [registry],
    }),
    oauthClientRejected: new Counter({
      name: 'lq_oauth_client_rejected_total',
      help: 'OAuth calls HubSpot refused for invalid client credentials (check the client id and secret).',
      registers: [registry],
    }),
  };
}
