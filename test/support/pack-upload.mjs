#!/usr/bin/env node
// Packs the project exactly as `hs project upload` does, with the HubSpot CLI's own code
// (handleProjectUpload: its ignore rules, .hsignore lookup and npm-workspace bundling), and
// copies the zip it made to the path given. The CLI writes the zip before it talks to HubSpot;
// with no HubSpot account configured it stops there, and the proxy variables send anything it
// might still try to a closed port on this machine, so nothing leaves it.
//
//   node test/support/pack-upload.mjs <projectDir> <out.zip>
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [projectDir, outZip] = process.argv.slice(2);
if (!projectDir || !outZip) {
  console.error('usage: pack-upload.mjs <projectDir> <out.zip>');
  process.exit(2);
}
const zipDir = mkdtempSync(path.join(os.tmpdir(), 'hs-upload-'));
process.env.TMPDIR = zipDir; // where the CLI's `tmp.fileSync({ postfix: '.zip' })` puts the zip
for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'])
  process.env[name] = 'http://127.0.0.1:9';
delete process.env.NO_PROXY;
process.chdir(projectDir); // the CLI looks for .hsignore from the working directory up

const { handleProjectUpload } = await import('@hubspot/cli/lib/projects/upload.js');
const projectConfig = JSON.parse(readFileSync(path.join(projectDir, 'hsproject.json'), 'utf8'));
let stoppedWith = 'no error';
try {
  await handleProjectUpload({
    accountId: 1,
    projectConfig,
    projectDir,
    callbackFunc: async () => {},
  });
} catch (error) {
  stoppedWith = error instanceof Error ? error.message : String(error);
}
const zips = readdirSync(zipDir).filter((name) => name.endsWith('.zip'));
if (zips.length !== 1) {
  console.error(
    `expected the CLI to write one zip in ${zipDir}, found ${zips.length} (${stoppedWith})`,
  );
  process.exit(1);
}
copyFileSync(path.join(zipDir, zips[0]), outZip);
rmSync(zipDir, { recursive: true, force: true });
console.log(`packed ${outZip} (the CLI then stopped: ${stoppedWith})`);
