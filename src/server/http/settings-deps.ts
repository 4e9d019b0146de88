import type { CrmPort } from '../hubspot/crm-port';
import type { Producer } from '../queue/producer';
import type { ActivityStore } from '../storage/activity-store';
import type { BackfillStore } from '../storage/backfill-store';
import type { CredentialsAlarmStore } from '../storage/credentials-alarm';
import type { DriftStore } from '../storage/drift-store';
import type { FailureLog } from '../storage/failure-log';
import type { FeedbackStore } from '../storage/feedback-store';
import type { LifecycleStageStore } from '../storage/lifecycle-stage-store';
import type { ModelStore } from '../storage/model-store';
import type { PendingRescores } from '../storage/pending-rescores';
import type { PreviewStore } from '../storage/preview-store';
import type { ScoreStore } from '../storage/score-store';
import type { StatusLog } from '../storage/status-log';
import type { TrainingStore } from '../storage/training-store';
import type { SignedDeps } from './signed-by-hubspot';
import type { InstallationStore } from '../storage/installation-store';
import type { HandOffStore } from '../storage/handoff-store';
import type { SalesPort } from '../hubspot/sales-crm';
import type { Logger } from '../logger';

/** What the settings API reads and writes (the model editor, previews, reports). */
export interface SettingsDeps extends SignedDeps {
  models: ModelStore;
  scores: ScoreStore;
  previews: PreviewStore;
  feedback: FeedbackStore;
  activity: ActivityStore;
  backfills: BackfillStore;
  crm: CrmPort;
  producer: Producer;
  failures: FailureLog;
  pending: PendingRescores;
  statusLog: StatusLog;
  trainings: TrainingStore;
  drift: DriftStore;
  alarm: CredentialsAlarmStore;
  stages: LifecycleStageStore;
  installations: InstallationStore;
  handOffs: HandOffStore;
  sales: SalesPort;
  logger: Logger;
}
