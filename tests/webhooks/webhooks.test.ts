import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as replay } from '@/app/api/admin/webhooks/[id]/deliveries/[deliveryId]/replay/route';
import { GET as deliveryLog } from '@/app/api/admin/webhooks/[id]/deliveries/route';
import {
  PATCH as changeEndpoint,
  DELETE as removeEndpoint,
} from '@/app/api/admin/webhooks/[id]/route';
import { POST as createEndpoint, GET as listEndpoints } from '@/app/api/admin/webhooks/route';
import { encodeStaffSession } from '@/lib/auth/staff-session';
import type { AppContext } from '@/lib/context';
import { upsertCustomerByExternalId } from '@/lib/customers/queries';
import { createStaff, type StaffUser } from '@/lib/staff/queries';
import { createTicket } from '@/lib/tickets/queries';
import { checkWebhookUrl } from '@/lib/webhooks/endpoints';
import { signWebhookBody } from '@/lib/webhooks/sign';
import { verifyWebhookSignature } from '@/lib/webhooks/verify';
import { startServedTestApp } from '../harness/app';
import { startReceiver } from './receiver';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
// biome-ignore lint/suspicious/noExplicitAny: route handlers differ only in their params
type Handler = (r: Request, c: { params: Promise<any> }) => Promise<Response>;

let app: AppContext;
let stop: () => Promise<void>;
let admin: StaffUser;
let agent: StaffUser;
let receiver: Receiver;
let customerId: string;
/** The README's own verification code, loaded as a module. */
let readmeVerify: (secret: string, header: string, body: string) => boolean;
const exampleFile = path.join(os.tmpdir(), `tandem-readme-verify-${process.pid}.mjs`);

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp({
    TANDEM_ALLOW_PRIVATE_URLS: 'true',
    TANDEM_JOBS_POLL_MS: '50',
    TANDEM_JOBS_RETRY_BASE_MS: '200',
    TANDEM_WEBHOOK_MAX_ATTEMPTS: '3',
  }));
  const make = (name: string, role: 'agent' | 'admin') =>
    createStaff(app.database.db, {
      email: `${name.toLowerCase()}@example.com`,
      name,
      role,
      password: 'a good password',
    });
  admin = await make('Ada', 'admin');
  agent = await make('Dana', 'agent');
  receiver = await startReceiver();
  customerId = (await upsertCustomerByExternalId(app.database.db, { externalId: 'hook-user' })).id;

  const readme = await readFile(path.join(process.cwd(), 'README.md'), 'utf8');
  const block = /<!-- webhook-verification-example -->\s*```js\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md lost its webhook verification example');
  await writeFile(exampleFile, `${block[1]}\nexport { verifyTandemSignature };\n`);
  readmeVerify = (await import(pathToFileURL(exampleFile).href)).verifyTandemSignature;
});
afterAll(async () => {
  await receiver?.close();
  await rm(exampleFile, { force: true });
  await stop();
});

const cookieOf = async (who: StaffUser) =>
  `next-auth.session-token=${await encodeStaffSession(app, who)}`;

async function call(
  handler: Handler,
  init: { method?: string; body?: unknown; params?: Record<string, string>; as?: StaffUser | null },
) {
  const who = init.as === undefined ? admin : init.as;
  return handler(
    new Request('http://localhost/api/admin/webhooks', {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(who ? { cookie: await cookieOf(who) } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    { params: Promise.resolve(init.params ?? {}) },
  );
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Delivery = {
  id: string;
  status: string;
  attempts: number;
  eventType: string;
  attemptLog: {
    attempt: number;
    statusCode: number | null;
    durationMs: number;
    error: string | null;
    nextRetryAt: string | null;
    createdAt: string;
  }[];
};
const deliveriesOf = async (endpointId: string) =>
  (
    (await (await call(deliveryLog, { params: { id: endpointId } })).json()) as {
      deliveries: Delivery[];
    }
  ).deliveries;

describe('webhooks', () => {
  it('delivers a signed event that the README’s verification code accepts', async () => {
    const created = await call(createEndpoint, {
      body: { url: receiver.url, events: ['ticket.created'], description: 'CRM' },
    });
    expect(created.status).toBe(201);
    const endpoint = await created.json();
    expect(endpoint.secret).toMatch(/^whsec_/);
    const listed = await (await call(listEndpoints, {})).json();
    expect(listed.endpoints[0]).not.toHaveProperty('secret');

    const ticket = await createTicket(app.database.db, {
      customerId,
      subject: 'Parcel lost',
      description: 'It never came.',
    });
    const got = await waitFor(
      async () => receiver.received.filter((r) => r.headers['tandem-event'] === 'ticket.created'),
      (list) => list.length > 0,
    );
    expect(got).toHaveLength(1);
    const [delivery] = got;
    const header = delivery!.headers['tandem-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(readmeVerify(endpoint.secret, header, delivery!.body)).toBe(true);
    expect(verifyWebhookSignature(endpoint.secret, header, delivery!.body)).toBe(true);
    // A changed body, another secret or an old timestamp are refused.
    expect(readmeVerify(endpoint.secret, header, delivery!.body.replace('Parcel', 'Pay'))).toBe(
      false,
    );
    expect(readmeVerify('whsec_other', header, delivery!.body)).toBe(false);
    const old = signWebhookBody(
      endpoint.secret,
      delivery!.body,
      Math.floor(Date.now() / 1000) - 600,
    );
    expect(readmeVerify(endpoint.secret, old, delivery!.body)).toBe(false);
    expect(verifyWebhookSignature(endpoint.secret, old, delivery!.body)).toBe(false);

    const event = JSON.parse(delivery!.body);
    expect(event).toMatchObject({
      type: 'ticket.created',
      data: { ticket: { id: ticket.id, number: ticket.number, subject: 'Parcel lost' } },
    });
    const [logged] = await waitFor(
      () => deliveriesOf(endpoint.id),
      (list) => list[0]?.status === 'succeeded',
    );
    expect(logged).toMatchObject({ id: delivery!.headers['tandem-delivery'], attempts: 1 });
    expect(logged!.attemptLog).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 200, error: null, nextRetryAt: null }),
    ]);
    await call(removeEndpoint, { method: 'DELETE', params: { id: endpoint.id } });
  });

  it('retries a failing receiver with growing delays shown in the delivery log, and replays', async () => {
    const failing = await startReceiver();
    failing.answer(500);
    try {
      const endpoint = await (
        await call(createEndpoint, { body: { url: failing.url, events: ['ticket.updated'] } })
      ).json();
      const ticket = await createTicket(app.database.db, {
        customerId,
        subject: 'Refund',
        description: 'Please.',
      });
      const { addTicketDetails } = await import('@/lib/tickets/queries');
      await addTicketDetails(app.database.db, customerId, ticket.number, 'Order 1042');

      const [failed] = await waitFor(
        () => deliveriesOf(endpoint.id),
        (list) => list[0]?.status === 'failed',
      );
      expect(failed).toMatchObject({ status: 'failed', attempts: 3, eventType: 'ticket.updated' });
      const log = failed!.attemptLog;
      expect(log.map((a) => [a.attempt, a.statusCode])).toEqual([
        [1, 500],
        [2, 500],
        [3, 500],
      ]);
      expect(log[0]!.error).toMatch(/answered 500: receiver is down/);
      // Backoff: base 200 ms doubling, each with 50–100 % jitter; the last attempt schedules none.
      const wait = (i: number) =>
        new Date(log[i]!.nextRetryAt!).getTime() - new Date(log[i]!.createdAt).getTime();
      expect(wait(0)).toBeGreaterThanOrEqual(100);
      expect(wait(0)).toBeLessThanOrEqual(220);
      expect(wait(1)).toBeGreaterThanOrEqual(200);
      expect(wait(1)).toBeLessThanOrEqual(420);
      expect(log[2]!.nextRetryAt).toBeNull();
      const gaps = failing.received.map((r, i, all) => (i === 0 ? 0 : r.at - all[i - 1]!.at));
      expect(failing.received).toHaveLength(3);
      expect(gaps[1]).toBeGreaterThanOrEqual(100);
      expect(gaps[2]).toBeGreaterThanOrEqual(200);
      expect(new Set(failing.received.map((r) => r.headers['tandem-delivery']))).toEqual(
        new Set([failed!.id]),
      );

      failing.answer(200);
      const replayed = await call(replay, {
        params: { id: endpoint.id, deliveryId: failed!.id },
        body: {},
      });
      expect(replayed.status).toBe(202);
      const [done] = await waitFor(
        () => deliveriesOf(endpoint.id),
        (list) => list[0]?.status === 'succeeded',
      );
      expect(done).toMatchObject({ id: failed!.id, status: 'succeeded', attempts: 4 });
      expect(done!.attemptLog.at(-1)).toMatchObject({ attempt: 4, statusCode: 200 });
      expect(failing.received).toHaveLength(4);
      expect(failing.received[3]!.headers['tandem-delivery']).toBe(failed!.id);

      const unknown = await call(replay, {
        params: { id: endpoint.id, deliveryId: '00000000-0000-4000-8000-000000000000' },
        body: {},
      });
      expect(unknown.status).toBe(404);
    } finally {
      await failing.close();
    }
  });

  it('sends nothing to a disabled endpoint, and nothing for events it did not choose', async () => {
    const quiet = await startReceiver();
    try {
      const endpoint = await (
        await call(createEndpoint, { body: { url: quiet.url, events: ['csat.received'] } })
      ).json();
      const disabled = await call(changeEndpoint, {
        method: 'PATCH',
        params: { id: endpoint.id },
        body: { enabled: false, events: ['ticket.created'] },
      });
      expect(await disabled.json()).toMatchObject({ enabled: false, events: ['ticket.created'] });
      await createTicket(app.database.db, { customerId, subject: 'x', description: 'y' });
      await new Promise((r) => setTimeout(r, 300));
      expect(quiet.received).toHaveLength(0);
      expect(await deliveriesOf(endpoint.id)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });

  it('is for admins only: 401 without a session, 403 for an agent', async () => {
    const body = { url: receiver.url, events: ['ticket.created'] };
    expect((await call(createEndpoint, { body, as: null })).status).toBe(401);
    expect((await call(listEndpoints, { as: null })).status).toBe(401);
    const refused = await call(createEndpoint, { body, as: agent });
    expect(refused.status).toBe(403);
    expect((await call(listEndpoints, { as: agent })).status).toBe(403);
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await call(deliveryLog, { params: { id }, as: agent })).status).toBe(403);
    expect(
      (await call(replay, { params: { id, deliveryId: id }, body: {}, as: null })).status,
    ).toBe(401);
  });

  it('refuses a bad URL or event with 400 naming the field', async () => {
    for (const url of ['not a url', 'ftp://example.com/hook']) {
      const response = await call(createEndpoint, { body: { url, events: ['ticket.created'] } });
      expect(response.status).toBe(400);
      const { error } = await response.json();
      expect(error.code).toBe('bad_request:webhook');
      expect(error.details.fields).toEqual([expect.objectContaining({ field: 'url' })]);
    }
    const badEvent = await call(createEndpoint, {
      body: { url: receiver.url, events: ['order.shipped'] },
    });
    expect(badEvent.status).toBe(400);
    expect((await badEvent.json()).error.details.fields[0].field).toBe('events.0');

    // Private addresses are refused unless TANDEM_ALLOW_PRIVATE_URLS is set.
    await expect(checkWebhookUrl('http://127.0.0.1:9/hook', false)).rejects.toMatchObject({
      status: 400,
      details: { fields: [expect.objectContaining({ field: 'url' })] },
    });
    await expect(checkWebhookUrl('http://10.1.2.3/hook', false)).rejects.toThrow(/private/);
  });
});
