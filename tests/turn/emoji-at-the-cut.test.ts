import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages } from '@/db/schema';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { createAnonymousCustomer, findCustomer } from '@/lib/customers/queries';
import { startApp, stopApp } from '@/lib/server/app';
import { askTurn } from '@/tests/harness/customer-turn';
import { startTestApp } from '../harness/app';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

/** The one-line summary of a message is cut at 120 characters: 119 of text, then the ellipsis. */
/** No lone UTF-16 surrogate (String.prototype.isWellFormed, which ES2023 typings lack). */
const isWellFormed = (text: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

const SUMMARY_CUT = 119;

/** A plausible first sentence whose character at `index` (UTF-16) is where `emoji` begins. */
function messageWithEmojiAt(index: number, emoji: string): string {
  const start =
    'My parcel has still not arrived after three weeks and the tracking page says nothing ';
  const text = `${start}${'at all '.repeat(20)}`.slice(0, index);
  return `${text}${emoji} where is it? I need it for a birthday on Saturday.`;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const graphemes = (text: string) => [...segmenter.segment(text)].map((s) => s.segment);

function pipelineSuite(
  name: string,
  open: () => Promise<{ app: AppContext; stop: () => Promise<void> }>,
) {
  describe(`a customer message with an emoji across the summary cut (${name})`, () => {
    let app: AppContext;
    let stop: () => Promise<void>;
    beforeAll(async () => {
      ({ app, stop } = await open());
    });
    afterAll(() => stop?.());

    async function say(customerId: string, text: string, conversationId?: string) {
      const customer = (await findCustomer(app.database.db, customerId))!;
      const result = await askTurn(app, { customer, conversationId, text });
      let answer = '';
      const reader = result.stream.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        const chunk = next.value as { type: string; delta?: string };
        if (chunk.type === 'text-delta') answer += chunk.delta;
      }
      return { ...result, answer };
    }

    const cases: [string, string, number][] = [
      ['an emoji straddling index 119 (its halves at 118 and 119)', '😡', SUMMARY_CUT - 1],
      ['an emoji starting at index 119', '😡', SUMMARY_CUT],
      ['a family emoji across the cut', '👨‍👩‍👧', SUMMARY_CUT - 5],
      ['a flag across the cut', '🇫🇷', SUMMARY_CUT - 1],
      ['a skin-toned thumbs-down across the cut', '👎🏽', SUMMARY_CUT - 2],
    ];
    it.each(cases)('stores and answers a message with %s', async (_, emoji, index) => {
      const text = messageWithEmojiAt(index, emoji);
      expect(text.indexOf(emoji)).toBe(index);
      const customer = await createAnonymousCustomer(app.database.db);

      const first = await say(customer.id, text);
      expect(first.answer.length).toBeGreaterThan(0);
      const summary = first.classification.summary;
      expect(isWellFormed(summary)).toBe(true);
      expect(summary.length).toBeLessThanOrEqual(SUMMARY_CUT + 1);
      expect(summary.endsWith('…')).toBe(true);
      const kept = summary.slice(0, -1);
      expect(text.startsWith(kept)).toBe(true);
      // Cut between characters as a person sees them: the emoji is kept whole or left out.
      expect(graphemes(text).slice(0, graphemes(kept).length).join('')).toBe(kept);

      const stored = await app.database.db
        .select()
        .from(messages)
        .where(eq(messages.conversationId, first.conversationId))
        .orderBy(messages.createdAt);
      expect(stored[0]).toMatchObject({ role: 'customer', content: text });
      expect(stored[0]!.metadata.classification?.summary).toBe(summary);
      expect(stored.some((m) => m.role === 'ai' && m.content === first.answer)).toBe(true);

      // The conversation goes on as usual afterwards.
      const next = await say(customer.id, `Still waiting ${emoji}`, first.conversationId);
      expect(next.answer.length).toBeGreaterThan(0);
      const [conversation] = await app.database.db
        .select()
        .from(conversations)
        .where(eq(conversations.id, first.conversationId));
      expect(conversation).toBeDefined();
    });
  });
}

pipelineSuite('PGlite', () => startTestApp());

describe.runIf(testEnv.databaseUrl)('on PostgreSQL', () => {
  let database: TestDatabase;
  pipelineSuite('PostgreSQL', async () => {
    database = await createTestDatabase(testEnv.databaseUrl!);
    const app = await startApp(
      parseConfig({
        DATABASE_URL: database.url,
        TANDEM_DEMO: 'true',
        LOG_LEVEL: 'silent',
        TANDEM_CONSENT_REQUIRED: 'false',
      }),
    );
    return {
      app,
      stop: async () => {
        await stopApp(app);
        await database.drop();
      },
    };
  });
});
