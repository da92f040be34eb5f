import { describe, expect, it } from 'vitest';
import { createEncoderEmbedder, createTextEmbedder } from '@/lib/kb/embedding';
import {
  createSentenceEncoder,
  LOCAL_ENCODER_ID,
  localSentenceEncoder,
} from '@/lib/text/sentence-encoder';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
};

const offline = { provider: 'offline' as const, tokenDelayMs: 0 };
const hostedModel = {
  provider: 'openai' as const,
  apiKey: 'sk-test',
  model: 'gpt-4o-mini',
  redactPatterns: [],
};

describe('sentence encoder: which one a configuration gets', () => {
  it('none without a key unless the local one is enabled; the hosted model behind a key', async () => {
    expect(
      await createSentenceEncoder({
        model: offline,
        embeddingModel: 'offline',
        localEncoder: 'none',
      }),
    ).toBeNull();
    const local = await createSentenceEncoder({
      model: offline,
      embeddingModel: 'text-embedding-3-small',
      localEncoder: 'use-lite',
    });
    expect(local).toMatchObject({ id: LOCAL_ENCODER_ID, hosted: false });
    const hosted = await createSentenceEncoder({
      model: hostedModel,
      embeddingModel: 'text-embedding-3-small',
      localEncoder: 'use-lite',
    });
    expect(hosted).toMatchObject({ id: 'openai.embedding:text-embedding-3-small', hosted: true });
    const keptLocal = await createSentenceEncoder({
      model: hostedModel,
      embeddingModel: 'offline',
      localEncoder: 'use-lite',
    });
    expect(keptLocal?.id).toBe(LOCAL_ENCODER_ID);
  });

  it('the knowledge base embeds with the local encoder beside the built-in embedding', async () => {
    const embedder = await createTextEmbedder(offline, { localEncoder: 'use-lite' });
    expect(embedder.id).toMatch(
      new RegExp(`^tandem-hashed-ngrams-v1:256\\+words-100x4\\+${LOCAL_ENCODER_ID}`),
    );
    expect((await createTextEmbedder(offline)).id).not.toContain(LOCAL_ENCODER_ID);
  });
});

// Loads the real weights shipped in node_modules (~1 s, no network).
describe('sentence encoder: Universal Sentence Encoder lite', () => {
  const encoder = localSentenceEncoder();

  it('puts paraphrases that share no keyword closer than unrelated questions', async () => {
    const [refund, moneyBack, weather, empty] = await encoder.encode([
      'How do I get a refund?',
      'I want my money back for this purchase',
      'Will it rain in Singapore tomorrow?',
      '',
    ]);
    expect(refund).toHaveLength(512);
    expect(dot(refund!, refund!)).toBeCloseTo(1, 4);
    expect(dot(refund!, moneyBack!)).toBeGreaterThan(dot(refund!, weather!) + 0.1);
    expect(empty).toHaveLength(512);
  });

  it('embeds more texts than one batch holds, in order', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `question number ${i}`);
    const all = await encoder.encode(texts);
    const [last] = await encoder.encode([texts[39]!]);
    expect(all).toHaveLength(40);
    expect(dot(all[39]!, last!)).toBeCloseTo(1, 3);
  });

  it('combined with the built-in embedding, still unit length and paraphrase-aware', async () => {
    const embedder = createEncoderEmbedder(encoder);
    const [a, b, c] = await embedder.embedDocuments([
      'Cancel my subscription',
      'How do I stop my membership from renewing?',
      'Where is my parcel?',
    ]);
    expect(dot(a!, a!)).toBeCloseTo(1, 6);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    // A batch pads its texts to one length: the same text alone differs only in rounding.
    expect(dot(await embedder.embedQuery('Cancel my subscription'), a!)).toBeCloseTo(1, 4);
  });
});
