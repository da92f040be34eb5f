import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineModel } from '@/lib/ai/offline/offline-model';
import type { AppContext } from '@/lib/context';
import { takeOver } from '@/lib/conversations/handoff';
import { suggestReply } from '@/lib/conversations/suggest-reply';
import type { Retrieval } from '@/lib/kb/types';
import type { StaffUser } from '@/lib/staff/queries';
import { converse } from '@/tests/harness/customer-turn';
import { passage } from '../fixtures/passage';
import { signedInStaff, startTestApp } from '../harness/app';

const MISSING_PARCEL = passage({
  id: 'c9',
  documentId: 'd9',
  slug: 'damaged-missing-or-wrong-item',
  title: 'Damaged, missing or wrong item',
  sectionPath: 'A parcel that never arrived',
  content:
    'If your parcel has not arrived 5 business days after its delivery date, tell us the order number and we will send a replacement or refund it.',
});

describe('suggested replies answer the open question, read with the whole conversation', () => {
  let app: AppContext;
  let stop: () => Promise<void>;
  let dana: StaffUser;
  beforeAll(async () => {
    ({ app, stop } = await startTestApp());
    ({ staff: dana } = await signedInStaff(app, 'agent', 'Dana'));
  });
  afterAll(() => stop?.());

  const conversation = async (texts: string[], { takenOver = false } = {}) =>
    (
      await converse(app, texts, (id, i) =>
        takenOver && i === 0 ? takeOver(app, dana, id) : Promise.resolve(),
      )
    ).conversationId;

  /**
   * The app with a knowledge base that knows only the missing-parcel passage (sure of it when the
   * question mentions a parcel) and the offline model, both recording what they are asked.
   */
  function drafting() {
    const queries: string[] = [];
    const prompts: LanguageModelV4CallOptions['prompt'][] = [];
    const offline = createOfflineModel();
    const model = new MockLanguageModelV4({
      doGenerate: (options) => {
        prompts.push(options.prompt);
        return offline.doGenerate(options);
      },
    });
    const kb = {
      retrieve: async (question: string): Promise<Retrieval> => {
        queries.push(question);
        return /parcel/i.test(question)
          ? { passages: [MISSING_PARCEL], confidence: 0.9 }
          : { passages: [MISSING_PARCEL], confidence: 0.1 };
      },
    };
    return { app: { ...app, kb, model } as unknown as AppContext, queries, prompts };
  }

  const userTexts = (prompt: LanguageModelV4CallOptions['prompt']) =>
    prompt.flatMap((m) =>
      m.role === 'user' ? [m.content.map((p) => (p.type === 'text' ? p.text : '')).join('')] : [],
    );
  const systemText = (prompt: LanguageModelV4CallOptions['prompt']) =>
    prompt.flatMap((m) => (m.role === 'system' ? [m.content] : [])).join('\n');

  it('drafts for the problem, not for the "ok thanks" written after it', async () => {
    const id = await conversation(
      ['My parcel never arrived', 'I want to talk to a human', 'ok thanks'],
      { takenOver: false },
    );
    const { app: drafter, queries, prompts } = drafting();
    const draft = await suggestReply(drafter, id);

    expect(queries).toEqual(['My parcel never arrived']);
    expect(draft.sources).toEqual([
      { slug: 'damaged-missing-or-wrong-item', title: 'Damaged, missing or wrong item' },
    ]);
    expect(draft.text).toContain('If your parcel has not arrived 5 business days after');
    // The model reads the conversation up to the question, and what came after in the summary.
    const [prompt] = prompts;
    expect(userTexts(prompt!)).toEqual(['My parcel never arrived']);
    expect(systemText(prompt!)).toContain('Latest from the customer: “ok thanks”.');
  });

  it('reads a follow-up with the problem it follows when it says too little alone', async () => {
    const id = await conversation(
      ['My parcel never arrived', 'It was order 4411, sent two weeks ago', 'hello??'],
      { takenOver: true },
    );
    const { app: drafter, queries, prompts } = drafting();
    const draft = await suggestReply(drafter, id);

    const combined = 'My parcel never arrived\nIt was order 4411, sent two weeks ago';
    expect(queries).toEqual(['It was order 4411, sent two weeks ago', combined]);
    expect(draft.confidence).toBe(0.9);
    expect(userTexts(prompts[0]!)).toEqual(['My parcel never arrived', combined]);
  });

  it('drafts for what the customer needs help with, not for their request for a person', async () => {
    const id = await conversation([
      'Hi, my name is Priya. I need to talk to a person about my parcel that never arrived.',
    ]);
    const { app: drafter, queries } = drafting();
    const draft = await suggestReply(drafter, id);

    expect(queries).toEqual(['my parcel that never arrived.']);
    expect(draft.text).toContain('If your parcel has not arrived 5 business days after');
  });

  it('drafts nothing when the customer has not said what they need', async () => {
    const id = await conversation(['Hi, my name is Ana.', 'I want to talk to a human', 'ok']);
    const { app: drafter, queries, prompts } = drafting();
    expect(await suggestReply(drafter, id)).toEqual({ text: null, sources: [], confidence: 0 });
    expect(queries).toEqual([]);
    expect(prompts).toEqual([]);
  });
});
