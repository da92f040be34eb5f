import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DELETE as deleteCase,
  PUT as saveCase,
} from '@/app/api/admin/desk-tests/cases/[caseId]/route';
import { GET as listCases } from '@/app/api/admin/desk-tests/cases/route';
import { GET as draftCase } from '@/app/api/admin/desk-tests/draft/route';
import { GET as exportCases } from '@/app/api/admin/desk-tests/export/route';
import { POST as casesFromArticles } from '@/app/api/admin/desk-tests/from-articles/route';
import { POST as importCases } from '@/app/api/admin/desk-tests/import/route';
import { GET as diffRun } from '@/app/api/admin/desk-tests/runs/[id]/diff/route';
import { GET as getRun } from '@/app/api/admin/desk-tests/runs/[id]/route';
import { GET as listRuns, POST as startRun } from '@/app/api/admin/desk-tests/runs/route';
import { auditLog, kbDocuments } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { upsertCustomerByExternalId } from '@/lib/customers/queries';
import { deskTestCaseSchema } from '@/lib/desk-tests/case';
import { getCases } from '@/lib/desk-tests/cases';
import { parseCasesJsonl } from '@/lib/desk-tests/jsonl';
import { runDeskTests } from '@/lib/server/desk-tests';
import { askTurn } from '@/tests/harness/customer-turn';
import { signedInStaff, startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let adminCookie: string;
let agentCookie: string;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp({ TANDEM_JOBS_WORKER: 'false' }));
  adminCookie = (await signedInStaff(app, 'admin', 'Ada Admin')).cookie;
  agentCookie = (await signedInStaff(app, 'agent', 'Dana Agent')).cookie;
}, 120_000);
afterAll(() => stop());

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
type Call = {
  method?: string;
  body?: unknown;
  params?: Record<string, string>;
  cookie?: string | null;
};

/** Calls a route handler as Next would; as the admin unless another cookie (or none) is given. */
async function call(handler: Handler, path: string, init: Call = {}) {
  const cookie = init.cookie === undefined ? adminCookie : init.cookie;
  const response = await handler(
    new Request(`http://localhost${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    { params: Promise.resolve(init.params ?? {}) as Promise<never> },
  );
  const text = await response.text();
  const json = /^application\/json(;|$)/.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    headers: response.headers,
    text,
    // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields its route answers with.
    body: (json && text ? JSON.parse(text) : null) as any,
  };
}

const fieldsOf = (body: {
  error: { details?: { fields?: { field: string; message: string }[] } };
}) => (body.error.details?.fields ?? []).map((f) => `${f.field}: ${f.message}`);

const line = (value: object) => JSON.stringify(value);
const HELLO = { id: 'hello', turns: ['hi there'], expect: { kind: 'smalltalk' } };
const WEATHER = {
  id: 'weather',
  turns: ['What will the weather be like in Paris tomorrow?'],
  expect: { kind: 'abstain' },
};
const PERSON = {
  id: 'person',
  turns: ['I want to talk to a real person please'],
  expect: { kind: 'escalate', reason: 'customer_request' },
};
const SUITE = [HELLO, WEATHER, PERSON].map(line).join('\n');

async function importSuite(jsonl: string, replace = true) {
  return call(importCases, '/api/admin/desk-tests/import', {
    method: 'POST',
    body: { jsonl, replace },
  });
}

/** Reads the run's progress until it has stopped; every reading's `done` never goes back. */
async function waitForRun(id: string) {
  const seen: number[] = [];
  for (let i = 0; i < 600; i++) {
    const { body } = await call(getRun, `/api/admin/desk-tests/runs/${id}?view=progress`, {
      params: { id },
    });
    seen.push(body.done);
    if (body.status !== 'running') {
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      return body;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`run ${id} did not finish`);
}

async function auditEntries(action: string) {
  return app.database.db.select().from(auditLog).where(eq(auditLog.action, action));
}

describe('desk-test routes are for admins only', () => {
  const id = '00000000-0000-4000-8000-000000000000';
  const routes: [Handler, string, Call][] = [
    [listCases, '/api/admin/desk-tests/cases', {}],
    [
      saveCase,
      '/api/admin/desk-tests/cases/hello',
      { method: 'PUT', body: HELLO, params: { caseId: 'hello' } },
    ],
    [
      deleteCase,
      '/api/admin/desk-tests/cases/hello',
      { method: 'DELETE', params: { caseId: 'hello' } },
    ],
    [importCases, '/api/admin/desk-tests/import', { method: 'POST', body: { jsonl: line(HELLO) } }],
    [exportCases, '/api/admin/desk-tests/export', {}],
    [listRuns, '/api/admin/desk-tests/runs', {}],
    [startRun, '/api/admin/desk-tests/runs', { method: 'POST', body: {} }],
    [getRun, `/api/admin/desk-tests/runs/${id}`, { params: { id } }],
    [diffRun, `/api/admin/desk-tests/runs/${id}/diff`, { params: { id } }],
    [draftCase, `/api/admin/desk-tests/draft?conversationId=${id}`, {}],
    [casesFromArticles, '/api/admin/desk-tests/from-articles', { method: 'POST' }],
  ];

  it('answers visitors 401 and agents 403 on every route, and applies nothing an agent sends', async () => {
    for (const [handler, path, init] of routes) {
      const what = `${init.method ?? 'GET'} ${path}`;
      const visitor = await call(handler, path, { ...init, cookie: null });
      expect(visitor.status, what).toBe(401);
      const agent = await call(handler, path, { ...init, cookie: agentCookie });
      expect(agent.status, what).toBe(403);
      expect(agent.body.error.code, what).toMatch(/^forbidden:/);
    }
    expect(await getCases(app.database.db)).toEqual([]);
  });
});

describe('cases', () => {
  it('adds a case (201), replaces it (200), lists it with no result yet, and deletes it (204, then 404)', async () => {
    const path = '/api/admin/desk-tests/cases/greeting';
    const greeting = { ...HELLO, id: 'greeting', fails_today: 'kept as written' };
    const added = await call(saveCase, path, {
      method: 'PUT',
      body: greeting,
      params: { caseId: 'greeting' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ created: true, case: { id: 'greeting', customer: 'new' } });

    const edited = { ...greeting, turns: ['hello!', 'how are you?'] };
    const replaced = await call(saveCase, path, {
      method: 'PUT',
      body: edited,
      params: { caseId: 'greeting' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.created).toBe(false);

    const listed = await call(listCases, '/api/admin/desk-tests/cases');
    // As the suite format reads it: defaults filled in, the extra key kept.
    expect(listed.body.cases).toEqual([
      { case: deskTestCaseSchema.parse(edited), lastResult: null },
    ]);
    expect(listed.body.cases[0].case.fails_today).toBe('kept as written');
    const [saved] = await app.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'desk_test.saved'), eq(auditLog.subjectId, 'greeting')));
    expect(saved).toMatchObject({ actorName: 'Ada Admin', subjectType: 'desk_test' });

    expect(
      (await call(deleteCase, path, { method: 'DELETE', params: { caseId: 'greeting' } })).status,
    ).toBe(204);
    const again = await call(deleteCase, path, {
      method: 'DELETE',
      params: { caseId: 'greeting' },
    });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found:desk_test');
    expect(await auditEntries('desk_test.deleted')).toHaveLength(1);
  });

  it('refuses a bad case with 400 naming each field, and an id that is not the one in the path', async () => {
    const bad = await call(saveCase, '/api/admin/desk-tests/cases/broken', {
      method: 'PUT',
      params: { caseId: 'broken' },
      body: {
        id: 'broken',
        turns: [],
        expect: { kind: 'answr', facts: ['(unclosed'], colour: 'blue' },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request:desk_test');
    const fields = fieldsOf(bad.body);
    expect(fields.some((f) => f.startsWith('turns:'))).toBe(true);
    expect(fields.some((f) => f.startsWith('expect.kind:'))).toBe(true);
    expect(fields.some((f) => f.startsWith('expect:') && f.includes('colour'))).toBe(true);

    const regex = await call(saveCase, '/api/admin/desk-tests/cases/broken', {
      method: 'PUT',
      params: { caseId: 'broken' },
      body: { id: 'broken', turns: ['hi'], expect: { kind: 'answer', facts: ['(unclosed'] } },
    });
    expect(fieldsOf(regex.body)).toEqual([
      expect.stringMatching(/^expect\.facts\.0: is not a valid regular expression/),
    ]);

    const elsewhere = await call(saveCase, '/api/admin/desk-tests/cases/other', {
      method: 'PUT',
      params: { caseId: 'other' },
      body: HELLO,
    });
    expect(elsewhere.status).toBe(400);
    expect(fieldsOf(elsewhere.body)).toEqual([
      `id: must be the case's id in the address ("other")`,
    ]);
    expect(await getCases(app.database.db)).toEqual([]);
  });
});

describe('import and export', () => {
  it('refuses a file with bad lines, naming each by number, and imports none of it', async () => {
    const bad = [
      line(HELLO),
      '{"id": "no-turns", "expect": {"kind": "answer"}}',
      'not json',
      '',
      line({ ...WEATHER, id: 'hello' }),
    ].join('\n');
    const refused = await importSuite(bad);
    expect(refused.status).toBe(400);
    expect(fieldsOf(refused.body)).toEqual([
      'line 2: turns: Invalid input: expected array, received undefined',
      expect.stringMatching(/^line 3: is not JSON/),
      'line 5: id: "hello" is already the id of line 1',
    ]);
    expect(await getCases(app.database.db)).toEqual([]);

    const empty = await importSuite('\n\n');
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('The file has no test cases.');
  });

  it('exports the suite as a .jsonl download that imports back unchanged', async () => {
    const imported = await importSuite(SUITE);
    expect(imported.body).toEqual({ created: 3, updated: 0, deleted: 0 });
    const [entry] = await auditEntries('desk_tests.imported');
    expect(entry?.details).toEqual({ created: 3, updated: 0, deleted: 0, replace: true });

    const exported = await call(exportCases, '/api/admin/desk-tests/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/jsonl; charset=utf-8');
    expect(exported.headers.get('content-disposition')).toMatch(
      /^attachment; filename="desk-tests-\d{4}-\d{2}-\d{2}\.jsonl"$/,
    );
    expect(parseCasesJsonl(exported.text).map((c) => c.id)).toEqual(['hello', 'weather', 'person']);

    const again = await importSuite(exported.text);
    expect(again.body).toEqual({ created: 0, updated: 3, deleted: 0 });
    expect((await call(exportCases, '/api/admin/desk-tests/export')).text).toBe(exported.text);
  });
});

describe('runs', () => {
  it('runs the suite with progress, refuses a second run meanwhile (409), scores it as runDeskTests does, and diffs the next run', async () => {
    await importSuite(SUITE);
    const started = await call(startRun, '/api/admin/desk-tests/runs', {
      method: 'POST',
      body: {},
    });
    expect(started.status).toBe(202);
    expect(started.body.run).toMatchObject({
      status: 'running',
      total: 3,
      done: 0,
      k: 1,
      startedBy: 'Ada Admin',
      model: 'tandem:offline-extractive',
    });
    const first = started.body.run.id as string;

    const busy = await call(startRun, '/api/admin/desk-tests/runs', { method: 'POST', body: {} });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({
      code: 'conflict:desk_test_run',
      details: { runId: first },
    });

    expect(await waitForRun(first)).toMatchObject({ status: 'completed', done: 3, total: 3 });
    const run = await call(getRun, `/api/admin/desk-tests/runs/${first}`, {
      params: { id: first },
    });
    expect(run.body.summary).toEqual(run.body.score);
    expect(run.body.score).toMatchObject({ n: 3, passed: 3, passK: 1, pass1: 1, flaky: 0 });
    expect(
      run.body.results.map((r: { case: { id: string }; status: string }) => [r.case.id, r.status]),
    ).toEqual([
      ['hello', 'pass'],
      ['weather', 'pass'],
      ['person', 'pass'],
    ]);
    expect(run.body.results[2].attempts[0].escalation).toBe('customer_request');
    const firstDiff = await call(diffRun, `/api/admin/desk-tests/runs/${first}/diff`, {
      params: { id: first },
    });
    expect(firstDiff.body.previous).toBeNull();

    // The weather question has no answer in the help center: expecting one makes the case fail.
    await call(saveCase, '/api/admin/desk-tests/cases/weather', {
      method: 'PUT',
      params: { caseId: 'weather' },
      body: { ...WEATHER, expect: { kind: 'answer' } },
    });
    const listedBefore = await call(listCases, '/api/admin/desk-tests/cases');
    expect(listedBefore.body.cases[1].lastResult).toMatchObject({ runId: first, status: 'pass' });

    const second = (
      await call(startRun, '/api/admin/desk-tests/runs', { method: 'POST', body: {} })
    ).body.run.id as string;
    await waitForRun(second);
    const page = (
      await call(getRun, `/api/admin/desk-tests/runs/${second}`, { params: { id: second } })
    ).body;
    expect(page.score).toEqual({
      n: 3,
      passed: 2,
      passK: 0.6667,
      pass1: 0.6667,
      flaky: 0,
      byKind: {
        smalltalk: { passed: 1, n: 1 },
        answer: { passed: 0, n: 1 },
        escalate: { passed: 1, n: 1 },
      },
    });
    // What the CLI runs (scripts/test-desk.ts calls runDeskTests) scores the same cases the same.
    const direct = await runDeskTests({ copyOf: app }, await getCases(app.database.db));
    expect(direct.summary).toEqual(page.score);

    const diff = await call(diffRun, `/api/admin/desk-tests/runs/${second}/diff`, {
      params: { id: second },
    });
    expect(diff.body.previous.id).toBe(first);
    expect(diff.body.changes[0]).toEqual({
      caseId: 'weather',
      kind: 'answer',
      change: 'newly_failing',
      before: 'pass',
      after: 'fail',
    });
    expect(diff.body.changes.slice(1).map((c: { change: string }) => c.change)).toEqual([
      'still_passing',
      'still_passing',
    ]);
    const listed = await call(listCases, '/api/admin/desk-tests/cases');
    expect(listed.body.cases[1].lastResult).toMatchObject({
      runId: second,
      status: 'fail',
      failure: { code: 'abstained', message: 'declined instead of answering' },
    });

    const runs = await call(listRuns, '/api/admin/desk-tests/runs?limit=1');
    expect(runs.body.runs.map((r: { id: string }) => r.id)).toEqual([second]);
    const started2 = await auditEntries('desk_test_run.started');
    expect(started2.map((e) => e.subjectId).sort()).toEqual([first, second].sort());
  }, 180_000);

  it('runs chosen cases k times, and refuses unknown cases (404) and bad requests (400)', async () => {
    const one = await call(startRun, '/api/admin/desk-tests/runs', {
      method: 'POST',
      body: { caseIds: ['hello'], k: 2 },
    });
    expect(one.body.run).toMatchObject({ total: 1, k: 2 });
    await waitForRun(one.body.run.id);
    const run = (
      await call(getRun, `/api/admin/desk-tests/runs/${one.body.run.id}`, {
        params: { id: one.body.run.id },
      })
    ).body;
    expect(run.results).toHaveLength(1);
    expect(run.results[0].attempts).toHaveLength(2);

    const unknown = await call(startRun, '/api/admin/desk-tests/runs', {
      method: 'POST',
      body: { caseIds: ['hello', 'nope'] },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('No test case has the id nope.');

    const tooMany = await call(startRun, '/api/admin/desk-tests/runs', {
      method: 'POST',
      body: { k: 11 },
    });
    expect(tooMany.status).toBe(400);
    expect(fieldsOf(tooMany.body)).toEqual([expect.stringMatching(/^k: /)]);

    // Once refused, the next run may start: a refusal leaves no run behind holding the place.
    const missing = '00000000-0000-4000-8000-000000000000';
    const none = await call(getRun, `/api/admin/desk-tests/runs/${missing}`, {
      params: { id: missing },
    });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('not_found:desk_test_run');
    const retry = await call(startRun, '/api/admin/desk-tests/runs', {
      method: 'POST',
      body: { caseIds: ['hello'] },
    });
    expect(retry.status).toBe(202);
    await waitForRun(retry.body.run.id);
  }, 120_000);
});

describe('a case drafted from a conversation', () => {
  it("takes the customer's messages as turns and the hand-off as the expectation, as the same site user", async () => {
    const customer = await upsertCustomerByExternalId(app.database.db, {
      externalId: 'shop-user-7',
    });
    let conversationId: string | undefined;
    for (const text of ['My parcel is late', 'I want to talk to a real person please']) {
      const turn = await askTurn(app, { customer, text, conversationId });
      const reader = turn.stream.getReader();
      while (!(await reader.read()).done) {}
      conversationId = turn.conversationId;
    }
    const drafted = await call(
      draftCase,
      `/api/admin/desk-tests/draft?conversationId=${conversationId}`,
    );
    expect(drafted.status).toBe(200);
    expect(drafted.body.case).toEqual({
      id: `conversation-${conversationId!.slice(0, 8)}`,
      customer: 'shop-user-7',
      turns: ['My parcel is late', 'I want to talk to a real person please'],
      expect: {
        kind: 'escalate',
        reason: 'customer_request',
        article: null,
        facts: [],
        forbid: [],
        tool: null,
        language: null,
      },
    });
    const [viewed] = await app.database.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, 'conversation.viewed'), eq(auditLog.subjectId, conversationId!)),
      );
    expect(viewed?.details).toEqual({ for: 'desk_test_draft' });

    const missing = await call(
      draftCase,
      '/api/admin/desk-tests/draft?conversationId=00000000-0000-4000-8000-000000000000',
    );
    expect(missing.status).toBe(404);
    const malformed = await call(draftCase, '/api/admin/desk-tests/draft?conversationId=42');
    expect(malformed.status).toBe(400);
  }, 60_000);
});

describe('starter cases from the knowledge base', () => {
  it('adds one case per article (its title asked by a new customer, answered from it), keeps edited ones, and runs them', async () => {
    const articles = await app.database.db
      .select({ slug: kbDocuments.slug, title: kbDocuments.title, language: kbDocuments.language })
      .from(kbDocuments);
    expect(articles.length).toBeGreaterThan(0);

    const first = await call(casesFromArticles, '/api/admin/desk-tests/from-articles', {
      method: 'POST',
    });
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(articles.length);
    expect([...first.body.caseIds].sort()).toEqual(articles.map((a) => `article-${a.slug}`).sort());
    const cases = await getCases(app.database.db, first.body.caseIds);
    for (const article of articles) {
      const written = cases.find((c) => c.id === `article-${article.slug}`)!;
      expect(written.turns).toEqual([article.title]);
      expect(written.customer).toBe('new');
      expect(written.expect).toMatchObject({
        kind: 'answer',
        article: article.slug,
        language: article.language,
      });
    }
    expect(await auditEntries('desk_tests.drafted')).toHaveLength(1);

    // An admin rewords one; writing the starter cases again adds nothing and keeps their wording.
    const edited = { ...cases[0]!, turns: ['something a customer really asked'] };
    const saved = await call(saveCase, `/api/admin/desk-tests/cases/${edited.id}`, {
      method: 'PUT',
      body: edited,
      params: { caseId: edited.id },
    });
    expect(saved.status).toBe(200);
    const again = await call(casesFromArticles, '/api/admin/desk-tests/from-articles', {
      method: 'POST',
    });
    expect(again.body).toEqual({ caseIds: first.body.caseIds, created: 0 });
    expect((await getCases(app.database.db, [edited.id]))[0]!.turns).toEqual(edited.turns);

    const started = await call(startRun, '/api/admin/desk-tests/runs', {
      method: 'POST',
      body: { caseIds: first.body.caseIds },
    });
    expect(started.status).toBe(202);
    const run = await waitForRun(started.body.run.id);
    expect(run.status).toBe('completed');
    expect(run.summary.n).toBe(articles.length);
    expect(run.summary.byKind.answer.n).toBe(articles.length);
  });
});
