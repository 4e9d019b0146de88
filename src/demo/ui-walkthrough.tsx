import {
  Alert,
  Flex,
  LineChart,
  LoadingButton,
  NumberInput,
  StatisticsItem,
  Tabs,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import type { RenderedNode } from '@hubspot/ui-extensions/testing';
import { createUiFetch, installUiFetch } from '../sandbox/ui-fetch';
import { renderCard, renderSettings } from '../sandbox/ui-render';
import type { Stack } from './stack';

/** What `permittedUrls.fetch` lists in the demo; the sandbox's proxy sends it to the web role. */
export const BACKEND_URL = 'https://lead-qualifier.example';

/** `hubspot.fetch` as a user of the demo portal: signed by the sandbox, proxied to the web role. */
export const uiFetchAs = (stack: Stack, userId: number, userEmail: string) =>
  createUiFetch({
    appId: stack.app.appId,
    clientSecret: stack.app.clientSecret,
    portalId: stack.portalId,
    userId,
    userEmail,
    permittedUrls: [BACKEND_URL],
    proxy: { [BACKEND_URL]: stack.appUrl },
  });

/** Wrappers that only lay things out: their children are shown at their level. */
const LAYOUT = new Set(['Flex', 'Box', 'Tile', 'Fragment', 'TableHead', 'TableBody']);
/** The props worth reading in an outline, per component. */
const SHOWN = [
  'title',
  'label',
  'number',
  'score',
  'variant',
  'value',
  'validationMessage',
] as const;

/**
 * The rendered component tree as indented text: what a person sees in HubSpot, component by
 * component (layout wrappers folded away).
 */
export function outline(node: RenderedNode, depth = 0, out: string[] = []): string[] {
  const pad = '  '.repeat(depth);
  if (node.nodeType === 'text') {
    if (node.text.trim() !== '') out.push(`${pad}${node.text.trim()}`);
    return out;
  }
  if (node.nodeType !== 'element') {
    for (const child of node.childNodes) outline(child, depth, out);
    return out;
  }
  if (LAYOUT.has(node.name)) {
    for (const child of node.childNodes) outline(child, depth, out);
    return out;
  }
  const props = node.props as Record<string, unknown>;
  const shown = SHOWN.filter((k) => props[k] !== undefined && props[k] !== '')
    .filter((k) => !(k === 'variant' && ['default', 'secondary'].includes(String(props[k]))))
    .map((k) => `${k}=${JSON.stringify(props[k])}`);
  const leafText =
    node.childNodes.length > 0 && node.childNodes.every((c) => c.nodeType === 'text')
      ? node.childNodes.map((c) => (c.nodeType === 'text' ? c.text : '')).join('')
      : null;
  if (node.name === 'Accordion' && !props['open'] && !props['defaultOpen']) {
    out.push(`${pad}Accordion ${shown.join(' ')} (folded: opens on a click)`);
    return out;
  }
  if (node.name === 'BarChart') {
    const rows = (props['data'] as Array<Record<string, unknown>>) ?? [];
    out.push(`${pad}BarChart ${shown.join(' ')} (${rows.length} bars)`);
    return out;
  }
  if (node.name === 'Select') {
    const options = (props['options'] as unknown[]) ?? [];
    out.push(`${pad}Select ${shown.join(' ')} (${options.length} options)`.trimEnd());
    return out;
  }
  out.push(
    `${pad}${node.name}${shown.length ? ` ${shown.join(' ')}` : ''}${leafText ? `: ${leafText}` : ''}`,
  );
  if (!leafText) for (const child of node.childNodes) outline(child, depth + 1, out);
  return out;
}

async function settle(check: () => boolean, timeoutMs = 20_000) {
  for (const end = Date.now() + timeoutMs; !check();) {
    if (Date.now() > end) throw new Error('the UI did not reach the expected state in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The card and settings page, rendered by HubSpot's own test renderer against the running
 * stack: `hubspot.fetch` goes through the sandbox's proxy, signed as HubSpot signs it.
 */
export async function uiWalkthrough(stack: Stack, log: (line: string) => void): Promise<void> {
  const hsFetch = uiFetchAs(stack, 101, 'alex.rep@example.com');
  const uninstall = installUiFetch(hsFetch.fetch);
  try {
    // The card as a rep sees it on a lead handed to sales and not taken on yet, an MQL, a
    // disqualified contact and a customer (sales already works it: no Accept / Reject there).
    const examples = new Map<string, string>();
    for (const id of stack.seeded!.truth.keys()) {
      const q = await stack.runtime.scores.get(stack.portalId, id);
      if (!q) continue;
      const kind =
        (q.status === 'ready' || q.status === 'sql') && q.lifecycle.current === 'customer'
          ? 'a customer'
          : q.status === 'ready' && q.lifecycle.current !== 'opportunity'
            ? 'a lead ready for sales'
            : q.status === 'mql'
              ? 'an MQL'
              : q.status === 'disqualified'
                ? 'a disqualified contact'
                : null;
      if (kind && !examples.has(kind)) examples.set(kind, id);
    }
    for (const [kind, id] of examples) {
      const card = renderCard(BACKEND_URL, id, { pollEveryMs: 200 });
      await settle(() => card.maybeFindByTestId(Text, 'scored') !== null);
      log(`\nThe contact card a rep sees on ${kind}, contact ${id} (component tree):`);
      for (const line of outline(card.getRootNode())) log(`  ${line}`);
    }
    const contactId = examples.get('a lead ready for sales');
    if (contactId) {
      const card = renderCard(BACKEND_URL, contactId, { pollEveryMs: 200 });
      await settle(() => card.maybeFindByTestId(Text, 'scored') !== null);
      // Accept SQL opens its modal: a note, then Accept.
      card
        .findByTestId(TextArea, 'accept-note')
        .trigger('onChange', 'Budget confirmed on the call' as never);
      card.findByTestId(LoadingButton, 'accept-submit').trigger('onClick');
      await settle(
        () =>
          stack.sandbox.state.portal(stack.portalId).get('contacts', contactId!)?.properties[
            'lq_sql_feedback'
          ] === 'accepted',
      );
      await settle(
        () =>
          stack.sandbox.state.portal(stack.portalId).get('contacts', contactId!)?.properties[
            'lq_status'
          ] === 'sql',
      );
      const accepted = stack.sandbox.state.portal(stack.portalId).get('contacts', contactId)!;
      log(
        `  → the rep clicks Accept SQL: lq_sql_feedback = accepted, lq_status = ${accepted.properties['lq_status']}, lifecycle stage ${accepted.properties['lifecyclestage']} in HubSpot, for workflows`,
      );
    }

    const page = renderSettings(BACKEND_URL, { pollEveryMs: 200 });
    await settle(() => page.maybeFindByTestId(Text, 'draft-status') !== null);
    log('\nThe settings page, an admin lowers the MQL threshold from 50 to 40 and previews it:');
    page.findByTestId(NumberInput, 'mql.minScore').trigger('onChange', 40 as never);
    page.find(Tabs).trigger('onSelectedChange', 'preview' as never);
    page.findByTestId(LoadingButton, 'run-preview').trigger('onClick');
    await settle(() => page.maybeFind(StatisticsItem, { label: 'Contacts compared' }) !== null);
    const tabs = page.find(Tabs);
    for (const line of outline(tabs).slice(0, 40)) log(`  ${line}`);

    log('\nThe Learning tab: the admin trains a model from who became a customer:');
    page.find(Tabs).trigger('onSelectedChange', 'learning' as never);
    page.findByTestId(LoadingButton, 'train').trigger('onClick');
    await settle(
      () =>
        page.maybeFindByTestId(LineChart, 'gains') !== null ||
        page.maybeFindByTestId(Alert, 'train-refused') !== null,
      60_000,
    );
    const result =
      page.maybeFindByTestId(Flex, 'train-result') ?? page.findByTestId(Alert, 'train-refused');
    for (const line of outline(result).slice(0, 24)) log(`  ${line}`);
  } finally {
    uninstall();
  }
}
