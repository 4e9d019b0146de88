import { Alert, Text } from '@hubspot/ui-extensions';
import type { PreviewResult } from '@lead-qualifier/contract';

/**
 * What a publish or a rollback does to the account, from its preview, in the words an admin
 * confirms: how many contacts change status, and the lifecycle stages it moves forward, which
 * HubSpot never moves back (a later rollback restores scores and statuses, not stages).
 */
function consequences(
  result: PreviewResult,
  stageLabels: Record<string, string>,
): { statuses: string; stages: string } {
  const changed = result.up + result.down + result.sideways;
  const statuses =
    changed === 0
      ? `No contact changes status (${result.scoreChanged} scores change).`
      : `${changed} contact${changed === 1 ? '' : 's'} change status: ${result.up} move up, ${result.down} move down, ${result.sideways} between lead and recycled.`;
  const forward = result.lifecycleForward.reduce((n, m) => n + m.count, 0);
  const stages =
    forward === 0
      ? 'No lifecycle stage moves.'
      : `${forward} contact${forward === 1 ? '' : 's'} move forward in lifecycle stage (${result.lifecycleForward
          .map((m) => `${m.count} to ${stageLabels[m.stage] ?? m.stage}`)
          .join(
            ', ',
          )}). HubSpot stages only move forward: rolling back later restores scores and statuses, but not these stages.`;
  return { statuses, stages };
}

/**
 * The consequences as an admin confirms them: the status changes, then the stages (a warning
 * when any move). `${testId}-statuses` and `${testId}-stages`; `also` is added to the stages.
 */
export function Consequences(props: {
  result: PreviewResult;
  stageLabels: Record<string, string>;
  testId: string;
  also?: string;
}) {
  const c = consequences(props.result, props.stageLabels);
  return (
    <>
      <Text testId={`${props.testId}-statuses`}>{c.statuses}</Text>
      <Alert
        title="Lifecycle stages"
        variant={c.stages.startsWith('No ') ? 'info' : 'warning'}
        testId={`${props.testId}-stages`}
      >
        {props.also ? `${c.stages} ${props.also}` : c.stages}
      </Alert>
    </>
  );
}
