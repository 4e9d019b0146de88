import { hubspot } from '@hubspot/ui-extensions';
import { SettingsPage } from './components/SettingsPage';

hubspot.extend<'settings'>(({ context, actions }) => (
  <SettingsPage context={context} actions={actions} />
));
