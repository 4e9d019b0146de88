import type { JobName } from '../job-catalogue';
import type { JobDefinition } from '../job-scope';
import { backfillPage } from './backfill-page';
import { backfillRecent } from './backfill-recent';
import { catchUp } from './catch-up';
import { contactDeleted } from './contact-deleted';
import { contactsDeleted } from './contacts-deleted';
import { contactErased } from './contact-erased';
import { driftCheck } from './drift-check';
import { engagementCreated } from './engagement-created';
import { engagementsCreated } from './engagements-created';
import { preview } from './preview';
import { purgePortal } from './purge-portal';
import { rescore } from './rescore';
import { rescorePending } from './rescore-pending';
import { rescorePortal } from './rescore-portal';
import { setupPortal } from './setup-portal';
import { slaCheck } from './sla-check';
import { sqlFeedback } from './sql-feedback';
import { sweep } from './sweep';
import { handOffJob } from './hand-off';
import { leadsChanged } from './leads-changed';
import { leadsSweep } from './leads-sweep';
import { firstTouchCheck } from './first-touch-check';
import { train } from './train';

/** Every job of the catalogue, one file each (a job missing here fails the type check). */
export const JOBS: { [N in JobName]: JobDefinition<N> } = {
  'setup-portal': setupPortal,
  'backfill-page': backfillPage,
  'backfill-recent': backfillRecent,
  rescore,
  'rescore-pending': rescorePending,
  'engagement-created': engagementCreated,
  'engagements-created': engagementsCreated,
  'contact-deleted': contactDeleted,
  'contacts-deleted': contactsDeleted,
  'contact-erased': contactErased,
  'sql-feedback': sqlFeedback,
  'rescore-portal': rescorePortal,
  'catch-up': catchUp,
  'purge-portal': purgePortal,
  preview,
  train,
  'drift-check': driftCheck,
  'sla-check': slaCheck,
  'hand-off': handOffJob,
  'leads-changed': leadsChanged,
  'leads-sweep': leadsSweep,
  'first-touch-check': firstTouchCheck,
  sweep,
};
