import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { translate } from '@hubspot/project-parsing-lib/translate';
import unzipper from 'unzipper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceWithProfile } from './support/profiles';

// What HubSpot receives and builds, checked with HubSpot's own published tools rather than our
// reading of them: the CLI's upload packing (`@hubspot/cli`, ignore rules and workspace
// bundling) and the UI-extension build HubSpot runs on it (`@hubspot/ui-extensions-dev-server`'s
// `uie build`: `npm ci` in the component's folder, then Vite). Each component must build from
// the uploaded files alone: `node_modules` is never uploaded and the backend must not be.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const project = JSON.parse(readFileSync(path.join(root, 'hsproject.json'), 'utf8')) as {
  platformVersion: string;
};
const uie = path.join(root, 'node_modules/@hubspot/ui-extensions-dev-server/dist/lib/bin/cli.js');

describe('what `hs project upload` sends to HubSpot', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'lq-upload-'));
  const zipPath = path.join(work, 'upload.zip');
  const uploaded = path.join(work, 'src');
  let entries: string[] = [];

  beforeAll(async () => {
    await run(process.execPath, [path.join(root, 'test/support/pack-upload.mjs'), root, zipPath]);
    const zip = await unzipper.Open.file(zipPath);
    entries = zip.files.filter((f) => f.type === 'File').map((f) => f.path);
    await zip.extract({ path: uploaded });
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds the app components and none of the backend, the sandbox or the demo', () => {
    const outside = entries.filter((name) => /^(server|sandbox|demo)(\/|$)/.test(name));
    expect(outside, 'files of ours that must never be uploaded').toEqual([]);
    expect(entries).toEqual(
      expect.arrayContaining([
        'app/app-hsmeta.json',
        'app/cards/lead-score-card-hsmeta.json',
        'app/settings/settings-hsmeta.json',
        'app/webhooks/webhooks-hsmeta.json',
        'app/package.json',
        'app/package-lock.json',
      ]),
    );
    expect(entries.filter((name) => name.includes('node_modules'))).toEqual([]);
  });

  it('builds the card and the settings page from their own folders with HubSpot’s build', async () => {
    const { intermediateRepresentation } = await translate(
      {
        projectSourceDir: sourceWithProfile(uploaded, 'prod', 12_345_678, path.join(root, 'src')),
        platformVersion: project.platformVersion,
      },
      { skipValidation: true, profile: 'prod' },
    );
    const ui = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid).filter(
      (node) => ['card', 'settings'].includes(node.componentType.toLowerCase()),
    );
    expect(ui.map((node) => node.uid).sort()).toEqual([
      'lead_qualifier_settings',
      'lead_score_card',
    ]);
    for (const node of ui) {
      const entry = path.join(uploaded, (node.config as { entrypoint: string }).entrypoint);
      const folder = path.dirname(entry);
      const name = path.basename(entry, path.extname(entry));
      // Sequential: both share the workspace's node_modules, which `npm ci` recreates.
      await run(process.execPath, [uie, 'build', entry], { cwd: folder }).catch(
        (error: { stdout?: string; stderr?: string }) => {
          throw new Error(`${node.uid} did not build:\n${error.stdout}\n${error.stderr}`);
        },
      );
      expect(existsSync(path.join(folder, 'dist', `${name}.js`)), `${node.uid} bundle`).toBe(true);
      const manifest = JSON.parse(
        readFileSync(path.join(folder, 'dist', `${name}-manifest.json`), 'utf8'),
      ) as {
        modules: { internal: Array<{ module: string }>; external: Array<{ module: string }> };
      };
      // Module paths are relative to the component's folder, or absolute for workspace packages.
      const bundled = manifest.modules.internal.map((m) =>
        path.relative(uploaded, path.resolve(folder, m.module)),
      );
      expect(
        bundled.filter((m) => !m.startsWith('app/')),
        `${node.uid} bundles`,
      ).toEqual([]);
      // The UI takes types from the contract and its route table: the schemas (and zod, which
      // the backend validates with) stay out of the bundle.
      expect(
        bundled.filter((m) => m.includes('packages/contract/') && !m.endsWith('/routes.ts')),
        `${node.uid} bundles contract schemas`,
      ).toEqual([]);
      expect(
        manifest.modules.external.map((m) => m.module).filter((m) => /(^|\/)zod\//.test(m)),
        `${node.uid} bundles zod`,
      ).toEqual([]);
      expect(bundled, `${node.uid} uses the route table`).toContain(
        'app/packages/contract/routes.ts',
      );
    }
  }, 300_000);
});
