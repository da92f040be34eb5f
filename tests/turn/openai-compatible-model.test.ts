import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '@/lib/context';
import { listMessages } from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { askTurn } from '@/tests/harness/customer-turn';
import { startTestApp } from '../harness/app';
import {
  type ChatCompletionRequest,
  FAKE_CLASSIFICATION,
  startFakeOpenAI,
} from '../harness/fake-openai';

const ANSWER = ['Use', ' **Forgot', ' password?**', ' on the sign-in page', ' [1].'];

async function collect(stream: ReadableStream<{ type: string; [key: string]: unknown }>) {
  const chunks: { type: string; [key: string]: unknown }[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    chunks.push(next.value);
  }
  return chunks;
}

describe('pipeline with an OpenAI-compatible model (OPENAI_BASE_URL)', () => {
  const requests: ChatCompletionRequest[] = [];
  const classifications: ChatCompletionRequest[] = [];
  // A hand-off has the model summarise the conversation for the team, off the request path.
  const summaries: ChatCompletionRequest[] = [];
  // With procedures published (the demo's returns procedure), the model is asked which one a
  // message is for; that is not a classification.
  const routings: ChatCompletionRequest[] = [];
  let server: Server;
  let app: AppContext;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    server = await startFakeOpenAI({
      classification: FAKE_CLASSIFICATION,
      answer: ANSWER,
      requireKey: 'test-key',
      onRequest: ({ path, body }) => {
        if (path !== '/v1/chat/completions' || !body) return;
        if (body.messages[0]?.content.startsWith('You summarise')) summaries.push(body);
        else if (body.messages[0]?.content.startsWith('You route')) routings.push(body);
        else (body.stream ? requests : classifications).push(body);
      },
    });
    const { port } = server.address() as AddressInfo;
    ({ app, stop } = await startTestApp({
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
      OPENAI_MODEL: 'fake-model',
    }));
  });

  afterAll(async () => {
    await stop();
    server.close();
  });

  it('streams the model answer grounded in the retrieved article, with its citation', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const result = await askTurn(app, {
      customer,
      text: 'How do I reset my password?',
    });
    const chunks = await collect(result.stream);

    expect(chunks.filter((c) => c.type === 'text-delta').map((c) => c.delta)).toEqual(ANSWER);
    expect(chunks.filter((c) => c.type === 'source-url').map((c) => c.sourceId)).toEqual([
      'reset-your-password',
    ]);

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.model).toBe('fake-model');
    expect(request!.stream).toBe(true);
    expect(request!.messages[0]!.role).toBe('system');
    expect(request!.messages[0]!.content).toContain(
      '<source index="1" title="Reset your password"',
    );
    expect(request!.messages.at(-1)).toEqual({
      role: 'user',
      content: 'How do I reset my password?',
    });
    // The built-in tools and the demo content's actions (content/demo/actions.json).
    expect(request!.tools?.map((t) => t.function.name).sort()).toEqual([
      'cancel_order',
      'change_delivery_address',
      'create_ticket',
      'escalate_to_human',
      'get_ticket_status',
      'list_my_tickets',
      'lookup_account',
      'order_status',
      'search_knowledge_base',
      'start_return',
      'update_ticket',
    ]);

    // Classified by the model, with three examples of each of the 8 categories and 6 intents as
    // few-shot — not the whole seed.
    expect(result.classification).toEqual(FAKE_CLASSIFICATION);
    expect(classifications).toHaveLength(1);
    const examples = classifications[0]!.messages[0]!.content.match(/^- \((category|intent): /gm);
    expect(examples).toHaveLength(3 * (8 + 6));

    const stored = await listMessages(app.database.db, result.conversationId);
    expect(stored.map((m) => [m.role, m.content])).toEqual([
      ['customer', 'How do I reset my password?'],
      ['ai', ANSWER.join('')],
    ]);
  });

  it('gives the model no sources when nothing matches, and counts an uncited answer as unsure', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const result = await askTurn(app, {
      customer,
      text: 'Who won the 2018 World Cup?',
    });
    const chunks = await collect(result.stream);
    expect(requests.at(-1)!.messages[0]!.content).toContain('Sources: none match this question.');
    expect(chunks.find((c) => c.type === 'finish')).toMatchObject({
      messageMetadata: { abstained: true, citations: [] },
    });
  });

  it('hands over when the customer asks for a person, even if the model reads only a question', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const result = await askTurn(app, {
      customer,
      text: 'This keeps failing. Get me a real person.',
    });
    await collect(result.stream);
    expect(result.classification).toMatchObject({ intent: 'asks_for_human', requiresHuman: true });
    const stored = await listMessages(app.database.db, result.conversationId);
    expect(stored.find((m) => m.role === 'system')?.content).toMatch(
      /^Escalated to the support team \(customer asked for a person\)/,
    );
    // The team's summary is the model's, from the whole transcript.
    await expect
      .poll(() => summaries.map((r) => r.messages.at(-1)?.content ?? ''))
      .toContainEqual(
        expect.stringMatching(
          /^Customer: This keeps failing\. Get me a real person\.\nEvent: Escalated to the support team/,
        ),
      );
  });

  it('serves an identical message’s classification from the cache', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const before = classifications.length;
    for (let i = 0; i < 2; i++) {
      const result = await askTurn(app, {
        customer,
        text: 'Do you ship to Penang?',
      });
      await collect(result.stream);
    }
    expect(classifications.length).toBe(before + 1);
  });

  it('sends the model no raw email, phone, card number or NRIC, in the answer or the classification', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const [answersBefore, classificationsBefore] = [requests.length, classifications.length];
    const text =
      'I am S1234567D. Card 4111 1111 1111 1111 was charged twice for my Plus plan; email tan.wei@example.com or call +65 9123 4567.';
    const first = await askTurn(app, { customer, text });
    await collect(first.stream);
    // A second turn: the first message now travels again as history, and the profile too.
    const second = await askTurn(app, {
      customer,
      conversationId: first.conversationId,
      text: 'Can you refund it?',
    });
    await collect(second.stream);

    const sent = JSON.stringify([
      ...requests.slice(answersBefore),
      ...classifications.slice(classificationsBefore),
    ]);
    expect(requests.length).toBeGreaterThan(answersBefore);
    expect(classifications.length).toBeGreaterThan(classificationsBefore);
    for (const raw of ['S1234567D', '4111 1111 1111 1111', 'tan.wei@example.com', '9123 4567']) {
      expect(sent).not.toContain(raw);
    }
    expect(sent).toContain('[card]');
    expect(sent).toContain('[email]');
    expect(sent).toContain('[phone]');
    expect(sent).toContain('[nric]');
    // What is stored for the agents is the customer's own text.
    const stored = await listMessages(app.database.db, first.conversationId);
    expect(stored[0]!.content).toBe(text);
  });
});
