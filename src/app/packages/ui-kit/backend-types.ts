/**
 * The shapes the backend answers with, as the card and the settings page read them. Type-only:
 * these imports are erased when HubSpot builds a component, so nothing of the backend is bundled
 * or needs to be uploaded. The one place UI code reaches into the backend's types.
 */
export type { FunnelSegment } from '../../../server/domain/funnel';
export type { Condition, Model, Signal } from '../../../server/domain/model-schema';
export type { LedgerEntry, Qualification, Status } from '../../../server/domain/qualification';
export type { CardView } from '../../../server/http/card-routes';
export type { PropertiesView } from '../../../server/http/settings-property-routes';
export type { FunnelView, HealthView } from '../../../server/http/settings-report-routes';
export type { ModelView } from '../../../server/http/settings-routes';
export type { DriftReport } from '../../../server/learning/drift';
export type { FeedbackRecord, FeedbackStats } from '../../../server/storage/feedback-store';
export type { Actor, VersionInfo } from '../../../server/storage/model-store';
export type { PreviewRecord } from '../../../server/storage/preview-store';
export type { TrainingRecord } from '../../../server/storage/training-store';
