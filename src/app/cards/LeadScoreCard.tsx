import { hubspot } from '@hubspot/ui-extensions';
import { LeadScoreCard } from '../../extensions/card/LeadScoreCard';

hubspot.extend<'crm.record.sidebar'>(({ context }) => <LeadScoreCard context={context} />);
