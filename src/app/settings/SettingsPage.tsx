import { hubspot } from '@hubspot/ui-extensions';
import { SettingsPage } from './components/SettingsPage';

hubspot.extend<'settings'>(({ context }) => <SettingsPage context={context} />);
