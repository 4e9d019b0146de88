import { createRenderer } from '@hubspot/ui-extensions/testing';
import { LeadScoreCard, type LeadScoreCardProps } from '../app/cards/components/LeadScoreCard';
import { SettingsPage, type SettingsPageProps } from '../app/settings/components/SettingsPage';

/**
 * The app's UI extensions rendered as HubSpot hosts them, outside HubSpot: HubSpot's own test
 * renderer, the context HubSpot passes (the record, the profile's BACKEND_URL). Pair it with
 * `installUiFetch` so `hubspot.fetch` reaches a backend.
 */
export function renderCard(
  backendUrl: string,
  contactId: string | number,
  props: Omit<LeadScoreCardProps, 'context'> = {},
) {
  const renderer = createRenderer('crm.record.sidebar');
  const context = {
    ...renderer.mocks.context,
    crm: { ...renderer.mocks.context.crm, objectId: Number(contactId) },
    variables: { BACKEND_URL: backendUrl },
  };
  renderer.render(<LeadScoreCard context={context} actions={renderer.mocks.actions} {...props} />);
  return renderer;
}

export function renderSettings(backendUrl: string, props: Omit<SettingsPageProps, 'context'> = {}) {
  const renderer = createRenderer('settings');
  renderer.render(
    <SettingsPage
      context={{ ...renderer.mocks.context, variables: { BACKEND_URL: backendUrl } }}
      actions={renderer.mocks.actions}
      {...props}
    />,
  );
  return renderer;
}
