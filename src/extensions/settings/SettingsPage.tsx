import { EmptyState, Link, Text, type SettingsContext } from '@hubspot/ui-extensions';

export interface SettingsPageProps {
  context: SettingsContext;
}

/** The admin settings page; the model editor, preview and versions are built on it. */
export function SettingsPage({ context }: SettingsPageProps) {
  const backend = context.variables?.['BACKEND_URL'];
  return (
    <EmptyState title="Lead Qualifier settings" layout="horizontal" imageName="building">
      <Text>
        Lead Qualifier scores this account's contacts with its default model. The model editor opens
        here once the backend at {String(backend ?? 'BACKEND_URL')} is connected.
      </Text>
      <Link href="https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/create-a-settings-component">
        About app settings
      </Link>
    </EmptyState>
  );
}
