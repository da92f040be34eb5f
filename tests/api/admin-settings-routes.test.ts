import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as embedScript } from '@/app/(widget)/embed.js/route';
import {
  DELETE as deleteCategory,
  PATCH as updateCategory,
} from '@/app/api/admin/classifier/categories/[slug]/route';
import { POST as createCategory } from '@/app/api/admin/classifier/categories/route';
import { POST as addExample, GET as listExamples } from '@/app/api/admin/classifier/examples/route';
import { POST as importExamples } from '@/app/api/admin/classifier/import/route';
import { POST as retrain } from '@/app/api/admin/classifier/retrain/route';
import { GET as classifierOverview } from '@/app/api/admin/classifier/route';
import { PUT as saveHours } from '@/app/api/admin/settings/business-hours/route';
import {
  DELETE as resetEscalation,
  PUT as saveEscalation,
} from '@/app/api/admin/settings/escalation/route';
import { GET as settingsOverview } from '@/app/api/admin/settings/route';
import { DELETE as resetWidget, PUT as saveWidget } from '@/app/api/admin/settings/widget/route';
import { encodeStaffSession } from '@/lib/auth/staff-session';
import type { AppContext } from '@/lib/context';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { DEFAULT_WIDGET_SETTINGS } from '@/lib/settings/schema';
import { getWidgetSettings } from '@/lib/settings/settings';
import type { StaffUser } from '@/lib/staff/queries';
import { escalateConversation } from '@/lib/turn/escalate-conversation';
import { askTurn } from '@/tests/harness/customer-turn';
import { signedInStaff, startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let agent: StaffUser;
let admin: StaffUser;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  const make = async (name: string, role: 'agent' | 'admin') =>
    (await signedInStaff(app, role, name)).staff;
  agent = await make('Dana', 'agent');
  admin = await make('Ada', 'admin');
});
afterAll(() => stop());

const cookieOf = async (who: StaffUser) =>
  `next-auth.session-token=${await encodeStaffSession(app, who)}`;

function request(
  path: string,
  init: { method?: string; cookie?: string; body?: unknown } = {},
): Request {
  return new Request(`http://localhost${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}
const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });

async function asAdmin(
  handler: (r: Request, c: { params: Promise<never> }) => Promise<Response>,
  path: string,
  init: { method?: string; body?: unknown; params?: Record<string, string> } = {},
) {
  const response = await handler(
    request(path, { ...init, cookie: await cookieOf(admin) }),
    params(init.params ?? {}) as never,
  );
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Sends one customer message through the pipeline and reads the whole answer. */
async function say(text: string) {
  const customer = await createAnonymousCustomer(app.database.db);
  const result = await askTurn(app, { customer, text });
  const chunks: { type: string; [key: string]: unknown }[] = [];
  const reader = result.stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read())
    chunks.push(next.value);
  const finish = chunks.find((c) => c.type === 'finish') as unknown as {
    messageMetadata: { escalated?: boolean };
  };
  const answer = chunks
    .filter((c) => c.type === 'text-delta')
    .map((c) => c.delta)
    .join('');
  return {
    customer,
    conversationId: result.conversationId,
    answer,
    metadata: finish.messageMetadata,
  };
}

describe('settings and classifier routes are for admins only', () => {
  const calls = () => {
    const body = { body: {} };
    return [
      [settingsOverview, 'GET', {}],
      [saveWidget, 'PUT', body],
      [resetWidget, 'DELETE', {}],
      [saveEscalation, 'PUT', body],
      [resetEscalation, 'DELETE', {}],
      [saveHours, 'PUT', body],
      [classifierOverview, 'GET', {}],
      [createCategory, 'POST', body],
      [updateCategory, 'PATCH', { ...body, params: { slug: 'billing' } }],
      [deleteCategory, 'DELETE', { params: { slug: 'billing' } }],
      [listExamples, 'GET', {}],
      [addExample, 'POST', body],
      [importExamples, 'POST', body],
      [retrain, 'POST', body],
    ] as const;
  };

  it('refuses visitors with 401 and agents with 403 on every route', async () => {
    const agentCookie = await cookieOf(agent);
    const widgetBefore = await getWidgetSettings(app.database.db);
    for (const [handler, method, init] of calls()) {
      const extra = init as { body?: unknown; params?: Record<string, string> };
      const visitor = await handler(
        request('/x', { method, body: extra.body }),
        params(extra.params ?? {}) as never,
      );
      expect(visitor.status, `${method} ${handler.name}`).toBe(401);
      const asAgent = await handler(
        request('/x', { method, body: extra.body, cookie: agentCookie }),
        params(extra.params ?? {}) as never,
      );
      expect(asAgent.status).toBe(403);
      expect((await asAgent.json()).error.code).toMatch(/^forbidden:/);
    }
    // Nothing an agent sent was applied.
    expect(await getWidgetSettings(app.database.db)).toEqual(widgetBefore);
  });
});

describe('widget appearance', () => {
  it('round-trips through the database and shows in the embed script', async () => {
    const saved = await asAdmin(saveWidget, '/api/admin/settings/widget', {
      method: 'PUT',
      body: { name: 'Kettle Helper', colour: '#B4235A', greeting: 'Hello from Kettle!' },
    });
    expect(saved).toEqual({
      status: 200,
      body: {
        widget: { name: 'Kettle Helper', colour: '#b4235a', greeting: 'Hello from Kettle!' },
      },
    });
    const overview = await asAdmin(settingsOverview, '/api/admin/settings');
    expect(overview.body.widget).toEqual(saved.body.widget);

    const script = await embedScript(request('/embed.js'));
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const source = await script.text();
    expect(source).toContain('"name":"Kettle Helper","colour":"#b4235a"');
    expect(source).toContain("origin + '/widget?embed=loader'");

    const reset = await asAdmin(resetWidget, '/api/admin/settings/widget', { method: 'DELETE' });
    expect(reset.body.widget).toEqual(DEFAULT_WIDGET_SETTINGS);
  });

  it('refuses a colour that is not a hex colour, naming the field', async () => {
    const refused = await asAdmin(saveWidget, '/api/admin/settings/widget', {
      method: 'PUT',
      body: { name: 'Kettle', colour: 'javascript:alert(1)', greeting: 'Hi' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('bad_request:widget_settings');
    expect(refused.body.error.details.fields).toEqual([
      { field: 'colour', message: 'must be a hex colour such as #2057d1' },
    ]);
  });

  it('keeps the admin’s name out of the script even when it tries to close the tag', async () => {
    await asAdmin(saveWidget, '/api/admin/settings/widget', {
      method: 'PUT',
      body: { name: '</script><b>x', colour: '#000000', greeting: 'Hi' },
    });
    const source = await (await embedScript(request('/embed.js'))).text();
    expect(source).not.toContain('</script>');
    await asAdmin(resetWidget, '/api/admin/settings/widget', { method: 'DELETE' });
  });
});

describe('escalation thresholds', () => {
  it('an admin override changes whether the pipeline brings in a person', async () => {
    const before = await say('How do I reset my password?');
    expect(before.metadata.escalated).toBe(false);

    const saved = await asAdmin(saveEscalation, '/api/admin/settings/escalation', {
      method: 'PUT',
      body: { frustration: 0 },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.escalation.override).toEqual({ frustration: 0 });
    expect(saved.body.escalation.effective).toEqual({
      ...app.config.escalation,
      frustration: 0,
    });

    const after = await say('How do I reset my password?');
    expect(after.metadata.escalated).toBe(true);
    expect(after.answer).toMatch(
      /^I can see this has been frustrating, so I'm bringing in a member of our team\./,
    );

    const reset = await asAdmin(resetEscalation, '/api/admin/settings/escalation', {
      method: 'DELETE',
    });
    expect(reset.body.escalation.effective).toEqual(app.config.escalation);
    const again = await say('How do I reset my password?');
    expect(again.metadata.escalated).toBe(false);
  });

  it('refuses thresholds out of range, listing each field', async () => {
    const refused = await asAdmin(saveEscalation, '/api/admin/settings/escalation', {
      method: 'PUT',
      body: { frustration: 2, lowConfidenceStreak: -1 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([
      'frustration',
      'lowConfidenceStreak',
    ]);
  });
});

describe('business hours', () => {
  const weekday = { open: '09:00', close: '18:00' };
  const singapore = {
    enabled: true,
    timeZone: 'Asia/Singapore',
    days: {
      mon: weekday,
      tue: weekday,
      wed: weekday,
      thu: weekday,
      fri: weekday,
      sat: null,
      sun: null,
    },
    holidays: ['2026-12-25'],
  };

  it('are saved, described, and refused with an unknown time zone', async () => {
    const saved = await asAdmin(saveHours, '/api/admin/settings/business-hours', {
      method: 'PUT',
      body: singapore,
    });
    expect(saved).toEqual({
      status: 200,
      body: { businessHours: singapore, description: 'Mon–Fri 09:00–18:00 (Asia/Singapore)' },
    });
    expect((await asAdmin(settingsOverview, '/api/admin/settings')).body.businessHours).toEqual(
      singapore,
    );
    const refused = await asAdmin(saveHours, '/api/admin/settings/business-hours', {
      method: 'PUT',
      body: { ...singapore, timeZone: 'Asia/Atlantis' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields[0].field).toBe('timeZone');
  });

  it('outside the hours, with no one online, the customer hears the hours and when the team is back', async () => {
    await asAdmin(saveHours, '/api/admin/settings/business-hours', {
      method: 'PUT',
      body: singapore,
    });
    const escalate = async (now: Date) => {
      const { customer, conversationId } = await say('How do I reset my password?');
      return escalateConversation(app, {
        conversationId,
        customerId: customer.id,
        reason: 'customer_request',
        explanation: 'You asked to speak with a person.',
        priority: 'medium',
        subject: 'Password reset',
        now,
      });
    };
    // Friday 20:00 in Singapore.
    const closed = await escalate(new Date('2026-11-20T12:00:00Z'));
    expect(closed.message).toMatch(
      /^You asked to speak with a person\. We're closed right now — our hours are Mon–Fri 09:00–18:00 \(Asia\/Singapore\), and we're back on Monday at 09:00\. I've opened ticket \*\*TKT-\d+\*\* with a summary of our conversation; we'll reply by email — please write your email address here/,
    );
    // Friday 11:00 in Singapore: open, so the usual wording.
    const open = await escalate(new Date('2026-11-20T03:00:00Z'));
    expect(open.message).toMatch(/No one from our support team is online right now/);
    expect(open.message).not.toMatch(/closed/);

    await asAdmin(saveHours, '/api/admin/settings/business-hours', {
      method: 'PUT',
      body: { ...singapore, enabled: false },
    });
  });
});

describe('taxonomy and classifier', () => {
  it('imports JSON Lines, refusing the whole file at a bad line and naming it', async () => {
    const jsonl = [
      '{"text": "Can I pay with a gift card?", "label": "billing"}',
      '',
      '{"text": "missing a quote, "label": "billing"}',
    ].join('\n');
    const bad = await asAdmin(importExamples, '/api/admin/classifier/import', {
      method: 'POST',
      body: { kind: 'category', jsonl },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({
      code: 'bad_request:classifier_import',
      message: 'Line 3 is not valid JSON.',
      details: { line: 3 },
    });

    const unknownLabel = await asAdmin(importExamples, '/api/admin/classifier/import', {
      method: 'POST',
      body: {
        kind: 'intent',
        jsonl: '{"text": "hello", "label": "greeting"}\n{"text": "x", "label": "billing"}',
      },
    });
    expect(unknownLabel.status).toBe(400);
    expect(unknownLabel.body.error.message).toMatch(/^Line 2 "billing" is not an intent/);

    const good = await asAdmin(importExamples, '/api/admin/classifier/import', {
      method: 'POST',
      body: {
        kind: 'category',
        jsonl:
          '{"text": "Can I pay with a gift card?", "label": "billing"}\n{"text": "Do you ship to Johor Bahru?", "label": "orders_shipping"}\n',
      },
    });
    expect(good).toEqual({ status: 200, body: { received: 2, added: 2, duplicates: 0 } });
  });

  it('adds a category and an example, and retraining reports held-out accuracy', async () => {
    const created = await asAdmin(createCategory, '/api/admin/classifier/categories', {
      method: 'POST',
      body: { slug: 'gift_cards', name: 'Gift cards' },
    });
    expect(created.status).toBe(201);
    const taken = await asAdmin(createCategory, '/api/admin/classifier/categories', {
      method: 'POST',
      body: { slug: 'gift_cards', name: 'Again' },
    });
    expect(taken.status).toBe(409);

    const example = {
      kind: 'category',
      label: 'gift_cards',
      text: 'My gift card code does not work',
    };
    const added = await asAdmin(addExample, '/api/admin/classifier/examples', {
      method: 'POST',
      body: example,
    });
    expect(added).toEqual({ status: 201, body: example });
    const duplicate = await asAdmin(addExample, '/api/admin/classifier/examples', {
      method: 'POST',
      body: example,
    });
    expect(duplicate.status).toBe(409);
    const unknown = await asAdmin(addExample, '/api/admin/classifier/examples', {
      method: 'POST',
      body: { ...example, label: 'nope' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/"nope" is not a category/);
    const listed = await asAdmin(
      listExamples,
      '/api/admin/classifier/examples?kind=category&label=gift_cards',
    );
    expect(listed.body.examples.map((e: { text: string }) => e.text)).toEqual([example.text]);

    const pending = await asAdmin(classifierOverview, '/api/admin/classifier');
    const categoryModel = pending.body.models.find((m: { kind: string }) => m.kind === 'category');
    expect(categoryModel.untrainedExamples).toBeGreaterThanOrEqual(1);
    expect(
      pending.body.categories.find((c: { slug: string }) => c.slug === 'gift_cards').examples,
    ).toBe(1);

    const trained = await asAdmin(retrain, '/api/admin/classifier/retrain', {
      method: 'POST',
      body: {},
    });
    expect(trained.status).toBe(200);
    expect(trained.body.results.map((r: { kind: string }) => r.kind)).toEqual([
      'category',
      'intent',
    ]);
    for (const result of trained.body.results) {
      expect(result.accuracy).toBeGreaterThan(0.5);
      expect(result.accuracy).toBeLessThanOrEqual(1);
    }
    const after = await asAdmin(classifierOverview, '/api/admin/classifier');
    const model = after.body.models.find((m: { kind: string }) => m.kind === 'category');
    expect(model.untrainedExamples).toBe(0);
    expect(model.accuracy).toBeCloseTo(trained.body.results[0].accuracy, 5);
  });

  it('renames and removes categories, but never the fallback one', async () => {
    await asAdmin(createCategory, '/api/admin/classifier/categories', {
      method: 'POST',
      body: { slug: 'warranty', name: 'Warranty' },
    });
    const renamed = await asAdmin(updateCategory, '/x', {
      method: 'PATCH',
      body: { name: 'Warranty & repairs' },
      params: { slug: 'warranty' },
    });
    expect(renamed.status).toBe(204);
    const removed = await asAdmin(deleteCategory, '/x', {
      method: 'DELETE',
      params: { slug: 'warranty' },
    });
    expect(removed.status).toBe(204);
    const missing = await asAdmin(deleteCategory, '/x', {
      method: 'DELETE',
      params: { slug: 'warranty' },
    });
    expect(missing.status).toBe(404);
    const fallback = await asAdmin(deleteCategory, '/x', {
      method: 'DELETE',
      params: { slug: 'other' },
    });
    expect(fallback.status).toBe(409);
  });
});
