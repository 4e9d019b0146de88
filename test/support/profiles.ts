import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ProjectProfile {
  accountId?: unknown;
  variables?: Record<string, unknown>;
}

/**
 * What stops a profile from being uploaded with: `hs project upload --profile NAME` refuses a
 * profile without an account id, and a placeholder backend URL would send HubSpot's fetches,
 * OAuth redirects and webhooks nowhere. Empty when the profile is fit for upload.
 */
export function profileProblems(name: string, profile: ProjectProfile): string[] {
  const problems: string[] = [];
  const accountId = profile.accountId;
  if (typeof accountId !== 'number' || !Number.isInteger(accountId) || accountId <= 0)
    problems.push(
      `${name}: accountId is ${JSON.stringify(accountId)}; run \`hs project profile add\` (or put your HubSpot account id, shown by \`hs account list\`, in the file)`,
    );
  const backend = profile.variables?.['BACKEND_URL'];
  if (typeof backend !== 'string' || !/^https:\/\//.test(backend))
    problems.push(`${name}: BACKEND_URL must be your backend's public https URL`);
  else if (/\.example\.com|\.invalid\b|localhost/.test(new URL(backend).hostname))
    problems.push(`${name}: BACKEND_URL ${backend} is a placeholder; set your backend's URL`);
  return problems;
}

/**
 * A copy of the project's source folder with a profile named `name` made from the committed
 * example of the same name (account id filled in), for tests that translate the project the way
 * the CLI does. The developer's own profiles are never read by the tests.
 */
export function sourceWithProfile(
  srcDir: string,
  name: string,
  accountId = 12_345_678,
  examplesDir = srcDir,
): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'lq-src-'));
  cpSync(path.join(srcDir, 'app'), path.join(copy, 'app'), {
    recursive: true,
    filter: (source) => !source.includes('node_modules'),
  });
  const example = JSON.parse(
    readFileSync(path.join(examplesDir, `hsprofile.${name}.example.json`), 'utf8'),
  ) as ProjectProfile;
  writeFileSync(
    path.join(copy, `hsprofile.${name}.json`),
    JSON.stringify({ ...example, accountId }, null, 2),
  );
  return copy;
}
