import {
  Alert,
  Button,
  Flex,
  Heading,
  Link,
  ProgressBar,
  Statistics,
  StatisticsItem,
  Text,
} from '@hubspot/ui-extensions';
import { ago, contactUrl, NotLoaded, SimpleTable, useLoaded } from '@lead-qualifier/ui-kit';
import type { HealthView } from '@lead-qualifier/contract';
import { failureWords } from './failure-words';

const seconds = (ms: number | null) =>
  ms === null ? '–' : ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;

/** Is the account in sync: backfill, webhooks, rescore latency, errors needing attention. */
export function HealthPanel({ base, portalId }: { base: string; portalId: number }) {
  const { data: health, error, reload } = useLoaded(base, 'health');
  if (!health) return <NotLoaded what="Sync health" error={error} testId="health-error" />;
  const { backfill, activity, now } = health;
  return (
    <Flex direction="column" gap="md" testId="health">
      {health.installation?.status !== 'active' && (
        <Alert title="Not installed" variant="danger">
          Lead Qualifier is not installed in this account: nothing syncs.
        </Alert>
      )}
      <Heading>Backfill</Heading>
      {backfill ? (
        <Flex direction="column" gap="xs">
          {backfill.recent ? (
            <RecentPhase recent={backfill.recent} startedAt={backfill.startedAt} now={now} />
          ) : null}
          <ProgressBar
            testId="backfill"
            title={
              backfill.status === 'done'
                ? `Done ${ago(backfill.finishedAt, now)}: ${backfill.total} contacts scored`
                : backfill.recent
                  ? `Then every other contact: ${backfill.scored} of ${backfill.total} scored`
                  : `Scoring every contact: ${backfill.scored} of ${backfill.total}`
            }
            value={backfill.scored}
            maxValue={Math.max(1, backfill.total)}
            showPercentage
            variant={backfill.status === 'done' ? 'success' : undefined}
          />
          <Text variant="microcopy" testId="backfill-rate">
            {backfill.ratePerSecond !== null ? `${backfill.ratePerSecond} contacts/s` : ''}
            {backfill.etaAt !== null ? `, done ${ago(backfill.etaAt, now)}` : ''}
            {`; ${backfill.written} written to HubSpot`}
          </Text>
        </Flex>
      ) : (
        <Text>No backfill has run yet.</Text>
      )}
      <Statistics>
        <StatisticsItem label="Contacts scored" number={health.scoredContacts} />
        <StatisticsItem
          label="Last webhook"
          number={activity.lastWebhookAt === null ? 'none yet' : ago(activity.lastWebhookAt, now)}
        />
        <StatisticsItem label="Webhook events" number={activity.webhookEvents} />
        <StatisticsItem
          label="Change to rescored (p50 / p95)"
          number={`${seconds(activity.rescoreLatency.p50)} / ${seconds(activity.rescoreLatency.p95)}`}
        />
        <StatisticsItem
          label="Waiting to be rescored"
          number={health.rescores.pending + health.rescores.processing}
        />
      </Statistics>
      {health.credentialsProblem ? (
        <Alert title="HubSpot refuses this server's app credentials" variant="danger">
          {`Since ${ago(health.credentialsProblem.since, now)}, HubSpot has refused Lead Qualifier's client id or secret (${health.credentialsProblem.message}), so access tokens cannot be refreshed and changes are not being rescored. This is a problem with how Lead Qualifier is deployed, not with your account: nothing was uninstalled, and scoring resumes once its operator fixes it.`}
        </Alert>
      ) : null}
      {activity.skippedEvents.count > 0 && activity.skippedEvents.lastAt !== null ? (
        <Text testId="skipped-events">
          {`${activity.skippedEvents.count} webhook event${activity.skippedEvents.count === 1 ? '' : 's'} from HubSpot could not be read and ${activity.skippedEvents.count === 1 ? 'was' : 'were'} skipped (the rest of each batch was processed). Latest, ${ago(activity.skippedEvents.lastAt, now)}: ${activity.skippedEvents.lastProblem ?? 'unknown'}.`}
        </Text>
      ) : null}
      {activity.refusedWrites.count > 0 && activity.refusedWrites.lastAt !== null ? (
        <Alert title="HubSpot refused some values" variant="warning">
          {`HubSpot refused ${activity.refusedWrites.count} contact write${activity.refusedWrites.count === 1 ? '' : 's'}; what it refused was left out and the rest of each contact's scores written. Latest, ${ago(activity.refusedWrites.lastAt, now)}: ${activity.refusedWrites.lastProblem ?? 'unknown'}. If it names the lifecycle stage, check the status-to-stage mapping in the Model tab.`}
        </Alert>
      ) : null}
      <Heading>Errors needing attention</Heading>
      {health.failures.length === 0 ? (
        <Text testId="no-failures">None: every job has succeeded or is being retried.</Text>
      ) : (
        <SimpleTable
          testId="failures"
          headers={[
            'When',
            'What failed',
            'Contact',
            'What it leaves undone',
            'HubSpot or server said',
          ]}
          rows={health.failures.map((f) => {
            const { what, effect } = failureWords(f);
            const contact = typeof f.data['contactId'] === 'string' ? f.data['contactId'] : null;
            return {
              key: `${f.at}-${f.job}-${JSON.stringify(f.data)}`,
              cells: [
                ago(f.at, now),
                what,
                contact ? (
                  <Link key="contact" href={{ url: contactUrl(portalId, contact), external: true }}>
                    Open the contact
                  </Link>
                ) : (
                  '–'
                ),
                effect,
                f.error,
              ],
            };
          })}
        />
      )}
      <Button testId="refresh-health" onClick={() => void reload()}>
        Refresh
      </Button>
    </Flex>
  );
}

type RecentProgress = NonNullable<NonNullable<HealthView['backfill']>['recent']>;

/** A big portal's first phase: the contacts sales will look at, scored before the rest. */
function RecentPhase({
  recent,
  startedAt,
  now,
}: {
  recent: RecentProgress;
  startedAt: number;
  now: number;
}) {
  const days = Math.round((startedAt - recent.since) / 86_400_000);
  return (
    <>
      <ProgressBar
        testId="backfill-recent"
        title={
          recent.finishedAt !== null
            ? `First, the ${recent.total} contacts active in the last ${days} days: scored ${ago(recent.finishedAt, now)}`
            : `First, the contacts active in the last ${days} days: ${recent.done} of ${recent.total} scored`
        }
        value={recent.done}
        maxValue={Math.max(1, recent.total)}
        showPercentage
        variant={recent.finishedAt !== null ? 'success' : undefined}
      />
      {recent.etaAt !== null ? (
        <Text variant="microcopy" testId="backfill-recent-eta">
          {`Recently active contacts done ${ago(recent.etaAt, now)}`}
        </Text>
      ) : null}
    </>
  );
}
