import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WebhookSettings } from './oauth-server';

const WEBHOOKS_FILE = path.resolve(import.meta.dirname, '../app/webhooks/webhooks-hsmeta.json');

/**
 * The subscriptions this project declares in its webhooks component, pointed at `targetUrl`:
 * the demo and the tests register exactly what HubSpot would be told to send.
 */
export function projectWebhooks(targetUrl: string): WebhookSettings {
  const component = JSON.parse(readFileSync(WEBHOOKS_FILE, 'utf8')) as {
    config: {
      settings: { maxConcurrentRequests?: number };
      subscriptions: {
        crmObjects: WebhookSettings['subscriptions'];
        hubEvents?: WebhookSettings['subscriptions'];
      };
    };
  };
  return {
    targetUrl,
    maxConcurrentRequests: component.config.settings.maxConcurrentRequests ?? 10,
    subscriptions: [
      ...component.config.subscriptions.crmObjects,
      ...(component.config.subscriptions.hubEvents ?? []),
    ],
  };
}
