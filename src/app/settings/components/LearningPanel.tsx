import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Flex,
  Heading,
  LineChart,
  List,
  LoadingButton,
  Statistics,
  StatisticsItem,
  Text,
} from '@hubspot/ui-extensions';
import type { DriftReport, ModelView } from '@lead-qualifier/contract';
import {
  callApi,
  ConfirmModal,
  messageOf,
  SimpleTable,
  useBackgroundJob,
} from '@lead-qualifier/ui-kit';

const REPLACE_MODAL = 'lq-replace-draft';

const round1 = (n: number) => Math.round(n * 10) / 10;
const pct = (n: number | null) => (n === null ? '–' : `${Math.round(n * 1000) / 10}%`);

/**
 * Learns a model from the account's closed-won data and shows, by a time-split backtest, how it
 * would have done against the active one. Nothing changes until an admin saves it as the draft,
 * previews and publishes it.
 */
export function LearningPanel(props: {
  base: string;
  activeVersion: number;
  pollEveryMs: number;
  /** The saved draft, if any: saving the trained model replaces it, so that is confirmed. */
  draft: ModelView['draft'];
  closeOverlay?: (id: string) => void;
  onDraft: (view: ModelView) => void;
}) {
  const { base } = props;
  const startTraining = useCallback(() => callApi(base, 'startTraining'), [base]);
  const readTraining = useCallback(
    (trainingId: string) => callApi(base, 'training', { params: { trainingId } }),
    [base],
  );
  const job = useBackgroundJob(startTraining, readTraining, props.pollEveryMs);
  const { record, running, starting } = job;
  /** A failure of the drift check or of saving the draft. */
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function saveAsDraft() {
    if (!record?.model) return;
    setSaving(true);
    try {
      const next = await callApi(base, 'saveDraft', {
        body: { model: record.model, baseVersion: props.activeVersion },
      });
      props.closeOverlay?.(REPLACE_MODAL);
      props.onDraft(next);
    } catch (e) {
      setError(messageOf(e));
    }
    setSaving(false);
  }

  const [drift, setDrift] = useState<DriftReport | null | undefined>(undefined);
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    callApi(base, 'drift').then(
      (r) => setDrift(r.report),
      (e: unknown) => setError(messageOf(e)),
    );
  }, [base]);
  // While a check runs, look again until a newer report is there.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!checking) return;
    const timer = setTimeout(async () => {
      try {
        const r = await callApi(base, 'drift');
        if (r.report && r.report.at !== drift?.at) {
          setDrift(r.report);
          setChecking(false);
        } else setTick((t) => t + 1);
      } catch (e) {
        setError(messageOf(e));
        setChecking(false);
      }
    }, props.pollEveryMs);
    return () => clearTimeout(timer);
  }, [base, checking, drift, tick, props.pollEveryMs]);

  const report = record?.status === 'done' ? record.report : null;
  const proposed = report?.backtest.proposed;
  const active = report?.backtest.active;
  return (
    <Flex direction="column" gap="md">
      <Text>
        Learns points for every contact and company property and engagement signal from who became a
        customer (contacts at opportunity are left out; SQLs sales rejected count as not converted),
        then backtests it: trained on the older leads, tested on the newer ones, beside the active
        version {props.activeVersion}.
      </Text>
      <Heading>Drift</Heading>
      {drift === undefined ? null : drift === null ? (
        <Text testId="drift-none">
          Not checked yet: grades are checked against their calibration every week.
        </Text>
      ) : drift.drifted ? (
        <Alert title="The grades have drifted" variant="warning" testId="drift">
          {drift.findings.map((f) => f.message).join(' ')}
        </Alert>
      ) : (
        <Text testId="drift-ok">
          No drift: each grade converts as it did when model v{drift.modelVersion} was first checked
          ({drift.grades.map((g) => `${g.grade} ${pct(g.rate)}`).join(', ')}).
        </Text>
      )}
      <LoadingButton
        testId="check-drift"
        size="sm"
        variant="secondary"
        loading={checking}
        onClick={async () => {
          setChecking(true);
          try {
            await callApi(base, 'startDriftCheck');
          } catch (e) {
            setError(messageOf(e));
            setChecking(false);
          }
        }}
      >
        Check now
      </LoadingButton>
      <Heading>Train</Heading>
      <LoadingButton
        testId="train"
        loading={starting || running}
        onClick={() => void job.start(undefined)}
      >
        {record ? 'Train again' : 'Train from closed-won data'}
      </LoadingButton>
      {job.error && (
        <Alert title="Training did not run" variant="danger" testId="train-error">
          {job.error}
        </Alert>
      )}
      {error && (
        <Alert title="Lead Qualifier did not answer" variant="danger" testId="learning-error">
          {error}
        </Alert>
      )}
      {record?.status === 'refused' && (
        <Alert title="Not enough data yet" variant="warning" testId="train-refused">
          {record.message}
        </Alert>
      )}
      {record?.status === 'failed' && (
        <Alert title="Training failed" variant="danger" testId="train-failed">
          {record.message}
        </Alert>
      )}
      {report && proposed && active && record?.labels && (
        <Flex direction="column" gap="sm" testId="train-result">
          <Text variant="microcopy">
            {record.labels.positives} customers and {record.labels.negatives} other contacts (
            {record.labels.open} with an open deal left out); tested on the newest{' '}
            {report.backtest.test.rows}.
          </Text>
          <Statistics>
            <StatisticsItem label="AUC, trained" number={proposed.auc} />
            <StatisticsItem label={`AUC, active v${active.modelVersion}`} number={active.auc} />
            <StatisticsItem
              label="Top-10% lift, trained"
              number={`${round1(proposed.topDecileLift)}×`}
            />
            <StatisticsItem
              label="Top-10% lift, active"
              number={`${round1(active.topDecileLift)}×`}
            />
            <StatisticsItem
              label="Conversions flagged, trained"
              number={pct(proposed.conversionsCaptured)}
            />
            <StatisticsItem
              label="Conversions flagged, active"
              number={pct(active.conversionsCaptured)}
            />
          </Statistics>
          <List variant="unordered" testId="metrics-explained">
            <Text>
              {`Ranking (AUC): of two leads, one that converted and one that did not, the trained model scores the one that converted higher ${pct(proposed.auc)} of the time; the active model ${pct(active.auc)} (50% is a coin toss).`}
            </Text>
            <Text>
              {`Lift: the top 10% of leads by score convert ${round1(proposed.topDecileLift)}× as often as leads overall with the trained model, ${round1(active.topDecileLift)}× with the active one.`}
            </Text>
            <Text>
              {`Flagged: the trained model makes ${pct(proposed.flaggedShare)} of leads MQL or SQL, and they hold ${pct(proposed.conversionsCaptured)} of the conversions; the active model flags ${pct(active.flaggedShare)} and catches ${pct(active.conversionsCaptured)}.`}
            </Text>
          </List>
          <LineChart
            testId="gains"
            data={[
              ...[proposed, active].flatMap((m, k) =>
                [0, ...m.gains].map((g, d) => ({
                  leads: d * 10,
                  captured: Math.round(g * 1000) / 10,
                  model: k === 0 ? 'Trained' : `Active v${active.modelVersion}`,
                })),
              ),
              ...Array.from({ length: 11 }, (_, d) => ({
                leads: d * 10,
                captured: d * 10,
                model: 'Random',
              })),
            ]}
            axes={{
              x: { field: 'leads', fieldType: 'linear', label: 'Top % of leads by score' },
              y: { field: 'captured', fieldType: 'linear', label: '% of conversions' },
              options: { groupFieldByColor: 'model' },
            }}
            options={{ title: 'Lift: conversions found in the top-scored leads', showLegend: true }}
          />
          <Heading>Calibration per grade (test period)</Heading>
          <Text variant="microcopy">
            A grade keeps its promise when its leads convert in the test period about as often as
            they did in training; one that converts much less than it promises is miscalibrated.
          </Text>
          <SimpleTable
            testId="calibration"
            headers={['Grade', 'Contacts', 'Converted, training period', 'Converted, test period']}
            rows={proposed.calibration.map((g) => ({
              key: g.grade,
              cells: [g.grade, g.count, pct(g.predicted), pct(g.observed)],
            }))}
          />
          <Text>
            The trained model has {report.features.rules} fit rules, {report.features.signals}{' '}
            engagement and {report.features.negatives} negative signals, and an MQL threshold of{' '}
            {report.mqlThreshold}. Save it as the draft to review it in the form, preview it and
            publish it.
          </Text>
          {props.draft ? (
            // A draft exists: replacing it is confirmed first.
            <Button
              testId="use-as-draft"
              variant="primary"
              disabled={saving}
              overlay={
                <ConfirmModal
                  id={REPLACE_MODAL}
                  title="Replace the saved draft?"
                  testId="replace"
                  confirmLabel="Replace the draft"
                  cancelLabel="Keep the draft"
                  variant="primary"
                  busy={saving}
                  onConfirm={() => void saveAsDraft()}
                  onCancel={() => props.closeOverlay?.(REPLACE_MODAL)}
                >
                  <Text testId="replace-consequence">
                    {`The draft ${props.draft.updatedBy.userEmail ? `saved by ${props.draft.updatedBy.userEmail} ` : ''}on ${new Date(props.draft.updatedAt).toLocaleString()} is replaced by the trained model. This cannot be undone.`}
                  </Text>
                </ConfirmModal>
              }
            >
              Save as the draft…
            </Button>
          ) : (
            <LoadingButton
              testId="use-as-draft"
              variant="primary"
              loading={saving}
              onClick={() => void saveAsDraft()}
            >
              Save as the draft
            </LoadingButton>
          )}
        </Flex>
      )}
    </Flex>
  );
}
