import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { shopToken } from '@/app/api/demo-shop/_lib/shop-route';
import type { RouteCaller } from '@/app/api/route-contract';
import { attachments, customers, messages, webhookDeliveries } from '@/db/schema';
import { API_SCOPES, createApiKey } from '@/lib/api-keys/keys';
import { createCannedResponse } from '@/lib/canned-responses/canned-responses';
import { recordConsent } from '@/lib/consent/queries';
import type { AppContext } from '@/lib/context';
import {
  createAnonymousCustomer,
  findCustomer,
  upsertCustomerByExternalId,
} from '@/lib/customers/queries';
import { CUSTOMER_COOKIE, createCustomerToken } from '@/lib/customers/session';
import { enqueueJob } from '@/lib/jobs/queries';
import { parseArticle } from '@/lib/kb/article';
import { addDocument } from '@/lib/kb/manage-documents';
import { createCategory } from '@/lib/settings/classifier-admin';
import { getConsentSettings } from '@/lib/settings/settings';
import { createStaff } from '@/lib/staff/queries';
import { createTicket } from '@/lib/tickets/queries';
import { ASYNC_MESSAGE_JOB } from '@/lib/turn/async-api-message';
import { createWebhookEndpoint } from '@/lib/webhooks/endpoints';
import { askTurn } from '@/tests/harness/customer-turn';
import { signedInStaff, startServedTestApp } from '../../harness/app';
import type { IdsByField } from './json-schema';

/**
 * A throwaway desk for the fuzzer: an app served to the route handlers, a signed-in admin and
 * agent, an API key with every scope, and a customer with a real conversation. Route fixtures
 * (the `[id]` of a path) are made fresh for each route, so one route deleting or erasing its
 * target does not starve the next; the identities making the requests are never the targets.
 */
export interface FuzzDesk {
  app: AppContext;
  stop(): Promise<void>;
  /** Real ids for body fields that name something (conversationId, messageId…), by field name. */
  ids: IdsByField;
  /** Real values for a route's dynamic segments, made for this route. */
  paramsFor(template: string): Promise<Record<string, string>>;
  /** Undoes what an earlier route's requests did to the fuzzer's own customers (consent). */
  beforeRoute(): Promise<void>;
  /** The headers that make a request come from the right caller for this route. */
  credentialsFor(caller: RouteCaller | undefined, method: string): Promise<Record<string, string>>;
}

const CHAT_ENV = {
  // The fuzzer sends thousands of well-formed messages: the widget's flood limits would answer
  // most of them 429 before they reach the code under test.
  TANDEM_WIDGET_MESSAGES_PER_MINUTE: '10000',
  TANDEM_WIDGET_CONVERSATIONS_PER_HOUR: '100000',
  // Background jobs (webhook deliveries to fuzzed URLs, summaries) would only compete for the CPU.
  TANDEM_JOBS_WORKER: 'false',
};

/**
 * Records the customer's consent to the notice in force: a fuzzed PUT of the consent settings
 * may have turned consent on, and the fixtures must still be able to talk to the AI.
 */
async function grantConsent(app: AppContext, customerId: string) {
  const { db } = app.database;
  const { version } = await getConsentSettings(db, app.config.consent.requiredByDefault);
  await recordConsent(db, { customerId, decision: 'granted', version });
}

async function talk(app: AppContext, customerId: string, text: string, conversationId?: string) {
  await grantConsent(app, customerId);
  const customer = (await findCustomer(app.database.db, customerId))!;
  const result = await askTurn(app, { customer, text, conversationId });
  const reader = result.stream.getReader();
  while (!(await reader.read()).done) {}
  return result.conversationId;
}

export async function openFuzzDesk(): Promise<FuzzDesk> {
  const { app, stop } = await startServedTestApp(CHAT_ENV);
  const { db } = app.database;
  const admin = await signedInStaff(app, 'admin', 'Fuzz Admin');
  const agent = await signedInStaff(app, 'agent', 'Fuzz Agent');
  const colleague = await signedInStaff(app, 'agent', 'Fuzz Colleague');
  const {
    key,
    apiKey: { id: keyId },
  } = await createApiKey(db, {
    name: 'fuzzer',
    scopes: [...API_SCOPES],
    rateLimitPerMinute: 1_000_000,
  });

  const widgetCustomer = await createAnonymousCustomer(db);
  const widgetConversation = await talk(app, widgetCustomer.id, 'Where is my parcel? It is late.');
  const [aiMessage] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.conversationId, widgetConversation), eq(messages.role, 'ai')))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  if (!aiMessage) throw new Error('The fuzz desk could not get an answer to its first message');

  // The public API names customers by the site's own id.
  const apiCustomer = await upsertCustomerByExternalId(db, { externalId: 'fuzz-api-customer' });
  const apiConversation = await talk(app, apiCustomer.id, 'My order has not arrived yet.');

  const fieldIds: Record<string, string> = {
    conversationId: widgetConversation,
    conversation_id: apiConversation,
    customer_id: 'fuzz-api-customer',
    messageId: aiMessage.id,
    message_id: aiMessage.id,
    agentId: colleague.staff.id,
    userId: colleague.staff.id,
  };

  let serial = 0;
  const next = () => `${Date.now().toString(36)}-${++serial}`;

  const targetCustomer = async (externalId?: string) => {
    const customer = externalId
      ? await upsertCustomerByExternalId(db, { externalId })
      : await createAnonymousCustomer(db);
    const conversationId = await talk(app, customer.id, 'I want to talk to a person please');
    return { customerId: customer.id, conversationId };
  };

  /** Makes the thing a dynamic segment names, given the segment before it. */
  const factories: Record<
    string,
    (made: Record<string, string>, template: string) => Promise<string>
  > = {
    conversations: async () => (await targetCustomer()).conversationId,
    customers: async (_, template) => {
      if (!template.startsWith('/api/v1/')) return (await targetCustomer()).customerId;
      const externalId = `fuzz-target-${next()}`;
      await targetCustomer(externalId);
      return externalId;
    },
    users: async () =>
      (
        await createStaff(db, {
          email: `target-${next()}@example.com`,
          name: 'Fuzz Target',
          role: 'agent',
          password: 'a good password',
        })
      ).id,
    'canned-responses': async () =>
      (
        await createCannedResponse(db, {
          shortcut: `fuzz-${serial++}`,
          title: 'Fuzz',
          content: 'Thanks for waiting.',
        })
      ).id,
    categories: async () => {
      const slug = `fuzz-${serial++}`;
      await createCategory(db, { slug, name: `Fuzz ${slug}` });
      return slug;
    },
    documents: async () => {
      const slug = `fuzz-doc-${serial++}`;
      const article = parseArticle(
        `---\ntitle: Fuzz ${slug}\nslug: ${slug}\n---\n\n# Parcels\n\nParcels arrive in 3 to 5 days.`,
      );
      return (await addDocument(app, article)).document.id;
    },
    webhooks: async () =>
      (
        await createWebhookEndpoint(db, {
          url: 'http://127.0.0.1:9/fuzz-hook',
          events: ['ticket.created'],
          allowPrivateNetworks: true,
        })
      ).id,
    deliveries: async (made) => {
      const endpointId = made.webhooks ?? (await factories.webhooks!({}, ''));
      const { customerId } = await targetCustomer();
      await createTicket(db, { customerId, subject: 'Fuzz', description: 'A delivery to replay' });
      const [delivery] = await db
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, endpointId))
        .limit(1);
      return delivery?.id ?? randomUUID();
    },
    'api-keys': async () =>
      (await createApiKey(db, { name: `target ${next()}`, scopes: ['read'] })).apiKey.id,
    tickets: async () => {
      const { customerId, conversationId } = await targetCustomer();
      return (
        await createTicket(db, {
          customerId,
          conversationId,
          subject: 'Parcel late',
          description: 'The parcel has not arrived.',
        })
      ).id;
    },
    tasks: async () =>
      enqueueJob(db, {
        type: ASYNC_MESSAGE_JOB,
        payload: { keyId, input: { customer_id: `fuzz-${next()}`, message: 'Where is it?' } },
      }),
    messages: async () => aiMessage.id,
    attachments: async () => {
      const [row] = await db
        .insert(attachments)
        .values({
          conversationId: widgetConversation,
          filename: 'notes.txt',
          mediaType: 'text/plain',
          sizeBytes: 5,
          data: Buffer.from('hello'),
        })
        .returning({ id: attachments.id });
      return row!.id;
    },
  };

  return {
    app,
    stop,
    ids: (field) => fieldIds[field],
    async beforeRoute() {
      await grantConsent(app, widgetCustomer.id);
      await grantConsent(app, apiCustomer.id);
    },
    async paramsFor(template) {
      const segments = template.split('/');
      const made: Record<string, string> = {};
      const params: Record<string, string> = {};
      for (const [index, segment] of segments.entries()) {
        const name = /^\[(?:\.\.\.)?([^\]]+)\]$/.exec(segment)?.[1];
        if (!name) continue;
        if (segment.startsWith('[...')) {
          params[name] = 'no-such-api';
          continue;
        }
        const resource = segments[index - 1] ?? '';
        const factory = factories[resource];
        params[name] = factory ? await factory(made, template) : randomUUID();
        made[resource] = params[name];
      }
      return params;
    },
    async credentialsFor(caller, method): Promise<Record<string, string>> {
      const browser: Record<string, string> =
        method === 'GET' ? {} : { 'sec-fetch-site': 'same-origin' };
      if (!caller) return {};
      switch (caller.kind) {
        case 'staff':
          return { cookie: (caller.role === 'admin' ? admin : agent).cookie, ...browser };
        case 'api':
          return { authorization: `Bearer ${key}` };
        case 'demo-shop':
          return { authorization: `Bearer ${await shopToken(db)}` };
        case 'widget': {
          // Minted per request from the customer's current session version, so a fuzzed
          // "forget me" ends one session without locking the fuzzer out of the widget routes.
          const [row] = await db
            .select({ version: customers.sessionVersion })
            .from(customers)
            .where(eq(customers.id, widgetCustomer.id));
          const token = createCustomerToken(widgetCustomer.id, app.secret, {
            version: row?.version ?? 0,
          });
          return {
            cookie: `${CUSTOMER_COOKIE}=${token}`,
            'x-tandem-session': token,
            ...browser,
          };
        }
      }
    },
  };
}
