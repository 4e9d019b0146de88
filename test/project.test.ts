import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LATEST_SUPPORTED_PLATFORM_VERSION } from '@hubspot/project-parsing-lib/projects';
import { getAllHsProfiles, loadHsProfileFile } from '@hubspot/project-parsing-lib/profiles';
import {
  type IntermediateRepresentationNode,
  translate,
} from '@hubspot/project-parsing-lib/translate';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../src/server/http/oauth-routes';
import { profileProblems, sourceWithProfile, type ProjectProfile } from './support/profiles';

const root = path.resolve(import.meta.dirname, '..');
const project = JSON.parse(readFileSync(path.join(root, 'hsproject.json'), 'utf8')) as {
  name: string;
  srcDir: string;
  platformVersion: string;
};
const srcDir = path.join(root, project.srcDir);

type Nodes = Record<string, IntermediateRepresentationNode>;

/** Reads `a.b.0.c` from a component's config, failing with the file and the field named. */
function field(node: IntermediateRepresentationNode, dotted: string): unknown {
  let value: unknown = node.config;
  for (const key of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || !(key in value)) {
      throw new Error(`${node.metaFilePath}: config.${dotted} is missing (stopped at "${key}")`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function expectField(node: IntermediateRepresentationNode, dotted: string, expected: unknown) {
  expect(field(node, dotted), `${node.metaFilePath}: config.${dotted}`).toEqual(expected);
}

function byType(nodes: Nodes, type: string): IntermediateRepresentationNode[] {
  return Object.values(nodes).filter((n) => n.componentType.toLowerCase() === type);
}

function only(nodes: Nodes, type: string): IntermediateRepresentationNode {
  const found = byType(nodes, type);
  expect(found.length, `exactly one ${type} component`).toBe(1);
  return found[0]!;
}

describe('the HubSpot project', () => {
  let nodes: Nodes;
  let skipped: string[];
  const profile = JSON.parse(
    readFileSync(path.join(srcDir, 'hsprofile.prod.example.json'), 'utf8'),
  ) as { variables: { BACKEND_URL: string } };
  const backend = profile.variables.BACKEND_URL;

  beforeAll(async () => {
    // Offline: HubSpot's JSON schemas are fetched from its API, so schema validation is skipped
    // and the fields we rely on are asserted below instead. The profile is the committed
    // example's (the developer's own profiles are theirs).
    const result = await translate(
      {
        projectSourceDir: sourceWithProfile(srcDir, 'prod'),
        platformVersion: project.platformVersion,
      },
      { skipValidation: true, profile: 'prod' },
    );
    nodes = result.intermediateRepresentation.intermediateNodesIndexedByUid;
    skipped = result.skippedHsMetaFiles;
  });

  it('targets platform 2026.03, the newest the project parser supports, with src as its source', () => {
    expect(project).toMatchObject({ srcDir: 'src', platformVersion: '2026.03' });
    expect(LATEST_SUPPORTED_PLATFORM_VERSION).toBe(project.platformVersion);
  });

  it('has no component file outside the folders HubSpot reads', () => {
    expect(skipped).toEqual([]);
    expect(Object.keys(nodes).sort()).toEqual([
      'lead_qualifier_app',
      'lead_qualifier_settings',
      'lead_qualifier_webhooks',
      'lead_score_card',
    ]);
  });

  it('is an OAuth app with the scopes and URLs the backend needs', () => {
    const app = only(nodes, 'application');
    expectField(app, 'distribution', 'marketplace');
    expectField(app, 'auth.type', 'oauth');
    expectField(app, 'auth.redirectUrls', [`${backend}/oauth/callback`]);
    expectField(app, 'auth.requiredScopes', [...REQUIRED_SCOPES]);
    expectField(app, 'auth.optionalScopes', [...OPTIONAL_SCOPES]);
    expectField(app, 'permittedUrls.fetch', [backend]);
    expect(backend).toMatch(/^https:\/\//);
  });

  it('puts the card in the contact sidebar', () => {
    const card = only(nodes, 'card');
    expectField(card, 'location', 'crm.record.sidebar');
    expectField(card, 'objectTypes', ['contacts']);
    expectField(card, 'entrypoint', '/app/cards/LeadScoreCard.tsx');
    expect(card.componentDeps['app']).toBe('lead_qualifier_app');
  });

  it('has one settings page', () => {
    const settings = only(nodes, 'settings');
    expectField(settings, 'entrypoint', '/app/settings/SettingsPage.tsx');
  });

  it('has thin UI entry files whose components live in their own folder', () => {
    for (const node of [only(nodes, 'card'), only(nodes, 'settings')]) {
      const entry = path.join(srcDir, field(node, 'entrypoint') as string);
      expect(existsSync(entry), `${node.metaFilePath}: entrypoint ${entry} exists`).toBe(true);
      const text = readFileSync(entry, 'utf8');
      expect(text).toMatch(/from '\.\/components\//);
      expect(text).not.toMatch(/from '\.\.\//);
      expect(text.split('\n').length).toBeLessThan(15);
    }
  });

  it('subscribes the webhooks the sync depends on, sent to our backend', () => {
    const hooks = only(nodes, 'webhooks');
    expectField(hooks, 'settings.targetUrl', `${backend}/webhooks/hubspot`);
    const subscriptions = field(hooks, 'subscriptions.crmObjects') as Array<{
      subscriptionType: string;
      objectType: string;
      propertyName?: string;
      active: boolean;
    }>;
    const has = (type: string, objectType: string, propertyName?: string) =>
      subscriptions.some(
        (s) =>
          s.active &&
          s.subscriptionType === type &&
          s.objectType === objectType &&
          s.propertyName === propertyName,
      );
    for (const type of ['creation', 'deletion', 'merge', 'associationChange']) {
      expect(has(`object.${type}`, 'contact'), `contact object.${type}`).toBe(true);
    }
    for (const engagement of ['call', 'email', 'meeting_event', 'note', 'task']) {
      expect(has('object.creation', engagement), `${engagement} object.creation`).toBe(true);
    }
    for (const property of ['email', 'jobtitle', 'lifecyclestage', 'hs_email_optout']) {
      expect(has('object.propertyChange', 'contact', property), `contact ${property}`).toBe(true);
    }
    // Our own lq_* writes must never come back as events (no rescore loops).
    expect(subscriptions.filter((s) => s.propertyName?.startsWith('lq_'))).toEqual([]);
  });

  it('keeps every environment URL in the profiles, not in the component files', () => {
    for (const node of Object.values(nodes)) {
      const raw = readFileSync(path.join(srcDir, node.metaFilePath), 'utf8');
      expect(raw, node.metaFilePath).not.toMatch(/https?:\/\/(?!developers\.hubspot\.com)[^"$]+/);
    }
    for (const name of ['dev', 'prod']) {
      const text = readFileSync(path.join(srcDir, `hsprofile.${name}.example.json`), 'utf8');
      expect(JSON.parse(text)).toMatchObject({ variables: { BACKEND_URL: expect.any(String) } });
    }
  });
});

describe('project profiles', () => {
  it('every profile in this checkout can be uploaded with: a real account id and backend URL', async () => {
    // Profiles are made per developer and deployment with `hs project profile add`; none is
    // committed. One that still holds a placeholder would stop `hs project upload --profile`.
    const problems = (await getAllHsProfiles(srcDir)).flatMap((name) =>
      profileProblems(
        `src/hsprofile.${name}.json`,
        loadHsProfileFile(srcDir, name) as ProjectProfile,
      ),
    );
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('the committed examples hold placeholders, and the CLI never takes them for profiles', async () => {
    const alone = mkdtempSync(path.join(os.tmpdir(), 'lq-profiles-'));
    for (const name of ['dev', 'prod']) {
      const file = `hsprofile.${name}.example.json`;
      copyFileSync(path.join(srcDir, file), path.join(alone, file));
      const example = JSON.parse(readFileSync(path.join(srcDir, file), 'utf8')) as ProjectProfile;
      expect(profileProblems(file, example).join('\n')).toMatch(
        /accountId is 0; run `hs project profile add`.*\n.*BACKEND_URL .* is a placeholder/,
      );
      expect(profileProblems(file, { ...example, accountId: 42_424_242 })).toHaveLength(1);
    }
    expect(await getAllHsProfiles(alone)).toEqual([]);
    expect(
      profileProblems('hsprofile.prod.json', {
        accountId: 42_424_242,
        variables: { BACKEND_URL: 'https://leads.acme.io' },
      }),
    ).toEqual([]);
  });
});
