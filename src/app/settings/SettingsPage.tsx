import { hubspot } from '@hubspot/ui-extensions';
import { SettingsPage } from '../../extensions/settings/SettingsPage';

hubspot.extend<'settings'>(({ context }) => <SettingsPage context={context} />);
