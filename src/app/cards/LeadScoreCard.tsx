import { hubspot } from '@hubspot/ui-extensions';
import { LeadScoreCard } from './components/LeadScoreCard';

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => (
  <LeadScoreCard context={context} actions={actions} />
));
