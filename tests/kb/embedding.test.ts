import { describe, expect, it } from 'vitest';
import {
  createHashedEmbedder,
  createOfflineEmbedder,
  createTextEmbedder,
} from '@/lib/kb/embedding';

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);
const norm = (v: number[]) => Math.sqrt(cosine(v, v));

describe('offline hashed embedding', () => {
  const embedder = createHashedEmbedder();

  it('is deterministic across instances and calls', async () => {
    const [a] = await embedder.embedDocuments(['How do I reset my password?']);
    const [b] = await createHashedEmbedder().embedDocuments(['How do I reset my password?']);
    expect(a).toEqual(b);
    expect(await embedder.embedQuery('How do I reset my password?')).toEqual(a);
  });

  it('returns unit vectors of the configured size', async () => {
    const vectors = await embedder.embedDocuments(['Refunds take 5–10 days.', '退款多久到账', '']);
    expect(vectors.map((v) => v.length)).toEqual([256, 256, 256]);
    expect(norm(vectors[0]!)).toBeCloseTo(1, 6);
    expect(norm(vectors[1]!)).toBeCloseTo(1, 6);
    expect(vectors[2]!.every((value) => value === 0)).toBe(true);
    const [wide] = await createHashedEmbedder({ dimensions: 512 }).embedDocuments(['x y z']);
    expect(wide).toHaveLength(512);
  });

  it('names its settings, so vectors of another size are never mixed in', () => {
    expect(embedder.id).not.toBe(createHashedEmbedder({ dimensions: 512 }).id);
  });

  it('puts similar texts closer than unrelated ones, misspellings included', async () => {
    const [reset, forgot, misspelt, shipping] = await embedder.embedDocuments([
      'Reset your password from the sign-in page',
      'I forgot my password and need to reset it',
      'how do i resett my pasword',
      'Shipping options and delivery times to Malaysia',
    ]);
    expect(cosine(reset!, forgot!)).toBeGreaterThan(cosine(reset!, shipping!));
    expect(cosine(reset!, misspelt!)).toBeGreaterThan(cosine(reset!, shipping!));
    expect(cosine(reset!, misspelt!)).toBeGreaterThan(0.3);
  });

  it('embeds Chinese by characters and their neighbours', async () => {
    const [refund, refundAgain, quota] = await embedder.embedDocuments([
      '花呗退款多久到账',
      '退款到花呗要多久',
      '借呗额度怎么提高',
    ]);
    expect(cosine(refund!, refundAgain!)).toBeGreaterThan(cosine(refund!, quota!));
  });

  it('is what a configuration without an API key gets', async () => {
    const offline = await createTextEmbedder({ provider: 'offline', tokenDelayMs: 0 });
    expect(offline.id).toBe(createOfflineEmbedder().id);
    expect(offline.id).toMatch(/^tandem-hashed-ngrams-v1:256\+words-100x4$/);
    const keptOffline = await createTextEmbedder(
      {
        provider: 'openai',
        apiKey: 'none',
        baseURL: 'http://127.0.0.1:9/v1',
        model: 'llama3',
        redactPatterns: [],
      },
      { embeddingModel: 'offline' },
    );
    expect(keptOffline.id).toBe(offline.id);
    const hosted = await createTextEmbedder({
      provider: 'openai',
      apiKey: 'sk-test',
      model: 'gpt-4o-mini',
      redactPatterns: [],
    });
    expect(hosted.id).toBe('openai.embedding:text-embedding-3-small');
  });
});
