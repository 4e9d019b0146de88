import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { createUiFetch } from '../../src/sandbox/ui-fetch';
import { signV3 } from '../../src/sandbox/webhook-dispatcher';
import { backfillDone, testStack, until } from '../support/stack';
import {
  BACKEND_URL,
  backendAnswer,
  contactsByStatus,
  installInAnotherPortal,
} from '../support/ui';
import { ApiError, readApiResponse } from '@lead-qualifier/ui-kit';
import { ENDPOINTS, pathOf, ROUTES, routeOf, type RouteName } from '@lead-qualifier/contract';
import { pack, unpack } from '../../src/server/storage/packed';

let stack: Stack;
let otherPortal: number;
let byStatus: Map<string, string[]>;

/**
 * hubspot.fetch as a user of `portalId` would make it, read back to the backend's own answer
 * (HubSpot's proxy wraps backend errors in a 200 envelope: see the proxy test below).
 */
const asUser = (portalId: number, overrides: Partial<Parameters<typeof createUiFetch>[0]> = {}) => {
  const proxied = rawAsUser(portalId, overrides);
  return async (...args: Parameters<typeof proxied>) => backendAnswer(await proxied(...args));
};
const rawAsUser = (
  portalId: number,
  overrides: Partial<Parameters<typeof createUiFetch>[0]> = {},
) =>
  createUiFetch({
    appId: stack.app.appId,
    clientSecret: stack.app.clientSecret,
    portalId,
    userId: 11,
    userEmail: 'someone@example.com',
    permittedUrls: [BACKEND_URL],
    proxy: { [BACKEND_URL]: stack.appUrl },
    ...overrides,
  }).fetch;
let user: ReturnType<typeof asUser>;

const api = (path: string) => `${BACKEND_URL}${path}`;
const errorOf = async (res: Response) =>
  (
    (await res.json()) as {
      error: { code: string; message: string; details?: Array<{ path: string; message: string }> };
    }
  ).error;

beforeAll(async () => {
  stack = await testStack('ui-api', { contacts: 120 });
  await stack.install();
  await backfillDone(stack);
  otherPortal = await installInAnotherPortal(stack);
  user = asUser(stack.portalId);
  byStatus = await contactsByStatus(stack);
}, 90_000);
afterAll(() => stack?.close());

describe('who may call the card and settings API', () => {
  const someContact = () => byStatus.get('mql')![0]!;

  it('refuses a request HubSpot did not sign', async () => {
    const res = await fetch(
      `${stack.appUrl}/api/card/contacts/${someContact()}?portalId=${stack.portalId}&userId=1`,
    );
    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toMatch(
      /call this API from the app card or settings page/,
    );
  });

  it('refuses a badly signed request, and one whose signed URL was altered', async () => {
    const bad = await asUser(stack.portalId, { clientSecret: 'guess' })(
      api(`/api/card/contacts/${someContact()}`),
    );
    expect(bad.status).toBe(401);
    expect((await errorOf(bad)).code).toBe('invalid_signature');

    // Signed for the other portal, then the portalId swapped for this one.
    const ts = String(Date.now());
    const signedUrl = `${stack.appUrl}/api/card/contacts/${someContact()}?userId=11&portalId=${otherPortal}`;
    const tampered = signedUrl.replace(`portalId=${otherPortal}`, `portalId=${stack.portalId}`);
    const res = await fetch(tampered, {
      headers: {
        'x-hubspot-request-timestamp': ts,
        'x-hubspot-signature-v3': signV3(stack.app.clientSecret, 'GET', signedUrl, '', ts),
      },
    });
    expect(res.status).toBe(401);
  });

  it('refuses a stale request (a replay)', async () => {
    const stale = asUser(stack.portalId, { clock: () => Date.now() - 6 * 60_000 });
    const res = await stale(api(`/api/card/contacts/${someContact()}`));
    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toMatch(/stale or replayed/);
  });

  it('refuses a portal without the app, and a URL without the user', async () => {
    const res = await asUser(424_242)(api('/api/settings/model'));
    expect(res.status).toBe(403);
    expect((await errorOf(res)).message).toMatch(/not installed in portal 424242/);

    const ts = String(Date.now());
    const url = `${stack.appUrl}/api/settings/model?portalId=${stack.portalId}`;
    const noUser = await fetch(url, {
      headers: {
        'x-hubspot-request-timestamp': ts,
        'x-hubspot-signature-v3': signV3(stack.app.clientSecret, 'GET', url, '', ts),
      },
    });
    expect(noUser.status).toBe(400);
    expect((await errorOf(noUser)).message).toMatch(/no userId/);
  });

  it("never returns another portal's data", async () => {
    const id = byStatus.get('ready')![0]!;
    const mine = await (await user(api(`/api/card/contacts/${id}`))).json();
    expect(mine).toMatchObject({ state: 'scored', qualification: { contactId: id } });
    const theirs = await (await asUser(otherPortal)(api(`/api/card/contacts/${id}`))).json();
    expect(theirs).toMatchObject({ state: 'not_synced', qualification: null, feedback: null });

    // Feedback and drafts made in one portal stay there.
    await user(api(`/api/card/contacts/${id}/feedback`), {
      method: 'POST',
      body: { decision: 'accepted', note: 'ok' },
    });
    const other = asUser(otherPortal);
    const stats = (await (await other(api('/api/settings/feedback'))).json()) as {
      stats: { accepted: number };
    };
    expect(stats.stats.accepted).toBe(0);
    const refused = await other(api(`/api/card/contacts/${id}/feedback`), {
      method: 'POST',
      body: { decision: 'rejected', reason: 'duplicate', note: '' },
    });
    expect(refused.status).toBe(409);
    expect(await stack.runtime.feedback.latest(otherPortal, id)).toBeNull();
  });
});

describe('the settings API', () => {
  it('an invalid draft gets field-level errors and the stored draft is kept', async () => {
    const valid = structuredClone(DEFAULT_MODEL) as Record<string, unknown> & typeof DEFAULT_MODEL;
    valid.mql = { minScore: 40, minFit: 30 };
    const saved = await user(api('/api/settings/draft'), {
      method: 'PUT',
      body: { model: valid, baseVersion: 1 },
    });
    expect(saved.status).toBe(200);

    const bad = structuredClone(valid);
    bad.grades = { A: 10, B: 50, C: 20 };
    bad.fit.rules[0]!.points = 0;
    (bad.engagement.signals[0] as { halfLifeDays: unknown }).halfLifeDays = 'soon';
    bad.sql.minCriteria = 99;
    const res = await user(api('/api/settings/draft'), {
      method: 'PUT',
      body: { model: bad, baseVersion: 1 },
    });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.message).toMatch(/Nothing was saved/);
    expect(error.details!.map((d) => d.path)).toEqual(
      expect.arrayContaining([
        'model.grades',
        'model.fit.rules.0.points',
        'model.engagement.signals.0.halfLifeDays',
        'model.sql.minCriteria',
      ]),
    );
    const draft = await stack.runtime.models.draft(stack.portalId);
    expect(draft!.model.mql.minScore).toBe(40);
    expect(draft!.model.grades).toEqual(DEFAULT_MODEL.grades);

    // A preview of an invalid model is refused the same way, and queues nothing.
    const preview = await user(api('/api/settings/previews'), {
      method: 'POST',
      body: { model: bad },
    });
    expect(preview.status).toBe(400);
    expect((await errorOf(preview)).details!.map((d) => d.path)).toContain('model.grades');
  });

  it('a body that is not a model, or not JSON, is a 400 that says what to send', async () => {
    const res = await user(api('/api/settings/draft'), {
      method: 'PUT',
      body: { baseVersion: 'one' },
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).details!.map((d) => d.path)).toContain('baseVersion');
  });

  it('nothing is published or rolled back unseen: a stale base, no preview, a preview of another model are refused', async () => {
    const saved = await user(api('/api/settings/draft'), {
      method: 'PUT',
      body: { model: DEFAULT_MODEL, baseVersion: 1 },
    });
    expect(saved.status).toBe(200);
    const unknownPreview = '00000000-0000-4000-8000-000000000000';
    const stale = await user(api('/api/settings/publish'), {
      method: 'POST',
      body: { baseVersion: 3, note: 'x', previewId: unknownPreview },
    });
    expect(stale.status).toBe(409);
    const noNote = await user(api('/api/settings/publish'), {
      method: 'POST',
      body: { baseVersion: 1, note: ' ', previewId: unknownPreview },
    });
    expect(noNote.status).toBe(400);
    expect((await errorOf(noNote)).details![0]!.path).toBe('note');
    const noPreview = await user(api('/api/settings/publish'), {
      method: 'POST',
      body: { baseVersion: 1, note: 'x' },
    });
    expect(noPreview.status).toBe(400);
    expect((await errorOf(noPreview)).details![0]!.path).toBe('previewId');
    const unseen = await user(api('/api/settings/publish'), {
      method: 'POST',
      body: { baseVersion: 1, note: 'x', previewId: unknownPreview },
    });
    expect(unseen.status).toBe(409);
    expect((await errorOf(unseen)).message).toMatch(/has not been previewed/);
    // A preview of another model than the saved draft does not publish the draft.
    const other = { ...DEFAULT_MODEL, mql: { ...DEFAULT_MODEL.mql, minScore: 44 } };
    const started = await user(api('/api/settings/previews'), {
      method: 'POST',
      body: { model: other },
    });
    const previewId = ((await started.json()) as { id: string }).id;
    await until('the preview to finish', async () => {
      const p = await user(api(`/api/settings/previews/${previewId}`));
      return ((await p.json()) as { status: string }).status === 'done';
    });
    const mismatch = await user(api('/api/settings/publish'), {
      method: 'POST',
      body: { baseVersion: 1, note: 'x', previewId },
    });
    expect(mismatch.status).toBe(409);
    expect((await errorOf(mismatch)).message).toMatch(/draft changed since it was previewed/);
    // Rollback: to a version that does not exist cannot even be previewed; unseen is refused.
    const missing = await user(api('/api/settings/previews'), {
      method: 'POST',
      body: { version: 9 },
    });
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).message).toMatch(/no version 9/);
    const blind = await user(api('/api/settings/rollback'), {
      method: 'POST',
      body: { version: 1, note: 'why', previewId },
    });
    expect(blind.status).toBe(409);
    expect(await stack.runtime.models.activeVersion(stack.portalId)).toBe(1);
  });

  it('a preview of another portal is not found', async () => {
    const res = await user(api('/api/settings/previews'), {
      method: 'POST',
      body: { model: { ...DEFAULT_MODEL, mql: { minScore: 45, minFit: 30 } } },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const done = await until('the preview', async () => {
      const r = (await (await user(api(`/api/settings/previews/${id}`))).json()) as {
        status: string;
      };
      return r.status === 'done' ? r : null;
    });
    expect(done.status).toBe('done');
    expect((await asUser(otherPortal)(api(`/api/settings/previews/${id}`))).status).toBe(404);
  });
});

describe('the card API', () => {
  it('validates feedback: a rejection needs a reason; only an SQL can be judged', async () => {
    const sql = byStatus.get('ready')![1]!;
    const noReason = await user(api(`/api/card/contacts/${sql}/feedback`), {
      method: 'POST',
      body: { decision: 'rejected', note: '' },
    });
    expect(noReason.status).toBe(400);
    expect((await errorOf(noReason)).details).toEqual([
      { path: 'reason', message: 'choose why the SQL is rejected' },
    ]);
    const mql = byStatus.get('mql')![1]!;
    const notSql = await user(api(`/api/card/contacts/${mql}/feedback`), {
      method: 'POST',
      body: { decision: 'accepted', note: '' },
    });
    expect(notSql.status).toBe(409);
    expect((await errorOf(notSql)).message).toMatch(/this contact is mql/);
    const badId = await user(api('/api/card/contacts/abc'));
    expect(badId.status).toBe(400);
  });
});

describe("HubSpot's hubspot.fetch limits, as the sandbox applies them", () => {
  it('refuses URLs outside permittedUrls, bodies over 1 MB and more than 20 requests in flight', async () => {
    expect((await user('https://elsewhere.example/api')).status).toBe(403);
    expect((await user(`http://lq.example.test/api/settings/model`)).status).toBe(403);
    const big = await user(api('/api/settings/previews'), {
      method: 'POST',
      body: { model: 'x'.repeat(1_000_001) },
    });
    expect(big.status).toBe(413);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => user(api('/api/settings/model'))),
    );
    const codes = answers.map((r) => r.status);
    expect(codes.filter((c) => c === 200).length).toBe(20);
    expect(codes.filter((c) => c === 429).length).toBe(10);
  });
});

describe("errors as HubSpot's proxy delivers them", () => {
  it('a backend error arrives as HTTP 200 with the envelope, and the card reads the backend’s message and fields from it', async () => {
    const raw = rawAsUser(stack.portalId);
    const res = await raw(api('/api/settings/draft'), {
      method: 'PUT',
      body: { model: { ...DEFAULT_MODEL, grades: { A: 10, B: 50, C: 20 } }, baseVersion: 1 },
    });
    expect(res.status).toBe(200);
    const envelope = (await res.clone().json()) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      status: 'error',
      category: 'BAD_GATEWAY',
      context: { appServerStatusCode: ['400'] },
      responseBody: { error: { code: 'bad_request' } },
    });
    const read = await readApiResponse(res).catch((e: unknown) => e);
    expect(read).toBeInstanceOf(ApiError);
    expect((read as ApiError).status).toBe(400);
    expect((read as ApiError).message).toMatch(
      /Nothing was saved: (one field needs|\d+ fields need) a change/,
    );
    expect((read as ApiError).details.map((d) => d.path)).toContain('model.grades');
    // The same answer sent as it is (no proxy in between) reads the same.
    const direct = await backendAnswer(
      await raw(api('/api/settings/draft'), {
        method: 'PUT',
        body: { model: { ...DEFAULT_MODEL, grades: { A: 10, B: 50, C: 20 } }, baseVersion: 1 },
      }),
    );
    expect(direct.status).toBe(400);
    const again = (await readApiResponse(direct).catch((e: unknown) => e)) as ApiError;
    expect([again.status, again.message, again.details]).toEqual([
      400,
      (read as ApiError).message,
      (read as ApiError).details,
    ]);
  });

  it('only an Authorization header passes; the proxy refuses others itself', async () => {
    const raw = rawAsUser(stack.portalId);
    const res = await raw(api('/api/settings/model'), { headers: { 'x-custom': '1' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      category: 'VALIDATION_ERROR',
      message: expect.stringMatching(/Only 'Authorization' header is allowed/),
    });
    const read = (await readApiResponse(
      await raw(api('/api/settings/model'), { headers: { 'x-custom': '1' } }),
    ).catch((e: unknown) => e)) as ApiError;
    expect(read.message).toMatch(/Only 'Authorization' header is allowed/);
  });
});

describe('one contract between the UI and the backend', () => {
  /** Method and path of every route the Express app serves, nested routers included. */
  function served(stack: unknown): string[] {
    const out: string[] = [];
    for (const layer of (stack as { stack: unknown[] }).stack as Array<{
      route?: { path: string; methods: Record<string, boolean> };
      handle?: { stack?: unknown[] };
    }>) {
      if (layer.route)
        for (const method of Object.keys(layer.route.methods))
          out.push(`${method.toUpperCase()} ${layer.route.path}`);
      else if (layer.handle?.stack) out.push(...served(layer.handle));
    }
    return out;
  }

  it('the backend serves the card and settings routes the contract names, and no other', () => {
    const app = stack.runtime.app as unknown as { router: unknown };
    const api = served(app.router).filter((r) => / \/api\/(card|settings)\//.test(r));
    expect(api.sort()).toEqual(Object.values(ROUTES).sort());
  });

  it("every route answers in its contract's shape (read back with the contract's schema)", async () => {
    const sql = byStatus.get('ready')![0]!;
    const answers: Array<[RouteName, unknown]> = [];
    for (const name of Object.keys(ROUTES) as RouteName[]) {
      const { method, path } = routeOf(name);
      if (method !== 'GET' || path.includes(':')) continue;
      answers.push([name, await (await user(api(path))).json()]);
    }
    answers.push(['card', await (await user(api(pathOf('card', { contactId: sql })))).json()]);
    expect(answers.length).toBeGreaterThanOrEqual(7);
    for (const [name, body] of answers) {
      const parsed = ENDPOINTS[name].response.safeParse(body);
      expect(parsed.success ? 'ok' : parsed.error.message, name).toBe('ok');
    }
  });

  it('fields a stored record has and the contract does not name stay out of the answer', async () => {
    const sql = byStatus.get('ready')![0]!;
    // A record written by an older or newer version of the app, with a field of its own.
    const key = `${stack.runtime.keys.score(stack.portalId, sql)}`;
    const stored = JSON.parse(
      unpack('score', (await stack.runtime.redis.getBuffer(key))!),
    ) as Record<string, unknown>;
    await stack.runtime.redis.set(
      key,
      pack('score', JSON.stringify({ ...stored, internalNote: 'x' })),
    );
    const card = (await (await user(api(pathOf('card', { contactId: sql })))).json()) as {
      qualification: Record<string, unknown>;
    };
    expect(card.qualification['score']).toBe(stored['score']);
    expect(card.qualification).not.toHaveProperty('internalNote');
  });
});
