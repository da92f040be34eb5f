import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TandemError } from '@/lib/errors';
import { createHashedEmbedder } from '@/lib/kb/embedding';
import { type IngestProgress, ingestFile, ingestUrl } from '@/lib/kb/ingest';
import type { Article, IndexProgress, KbDocument, KnowledgeBase } from '@/lib/kb/types';
import { buildDocx, helpPageHtml } from './sample-files';

/** Records what would be indexed; the real knowledge base is tested on its own. */
function fakeKnowledgeBase() {
  const calls: Article[] = [];
  const stored = new Map<string, string>();
  const kb: KnowledgeBase = {
    embedder: createHashedEmbedder(),
    async indexArticle(article, options) {
      calls.push(article);
      const changed = stored.get(article.slug) !== article.contentHash;
      stored.set(article.slug, article.contentHash);
      const stages: IndexProgress['stage'][] = ['chunking', 'embedding', 'storing', 'done'];
      stages.forEach((stage, index) => {
        options?.onProgress?.({ stage, done: index + 1, total: stages.length });
      });
      const document = {
        id: `doc-${article.slug}`,
        slug: article.slug,
        title: article.title,
        contentHash: article.contentHash,
      } as KbDocument;
      return { document, changed };
    },
    async deleteDocument() {
      return false;
    },
    async retrieve() {
      throw new Error('not used by ingestion');
    },
  };
  return { kb, calls };
}

describe('ingestFile', () => {
  it('extracts, then indexes, reporting every stage in order', async () => {
    const { kb, calls } = fakeKnowledgeBase();
    const progress: IngestProgress[] = [];
    const result = await ingestFile(
      kb,
      { filename: 'Warranty.docx', bytes: await buildDocx() },
      { onProgress: (p) => progress.push(p) },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      title: 'Warranty claims',
      slug: 'warranty-claims',
      sourceType: 'docx',
      origin: 'Warranty.docx',
    });
    expect(calls[0]!.body).toContain('## What the warranty covers');
    expect(result).toEqual({
      document: expect.objectContaining({ slug: 'warranty-claims' }),
      changed: true,
    });
    expect(progress.map((p) => p.stage)).toEqual([
      'extracting',
      'extracting',
      'chunking',
      'embedding',
      'storing',
      'done',
    ]);
    expect(progress[0]).toEqual({ stage: 'extracting', done: 0, total: 1 });
    expect(progress[1]).toEqual({ stage: 'extracting', done: 1, total: 1 });
  });

  it('files the document under the requested category and slug', async () => {
    const { kb, calls } = fakeKnowledgeBase();
    const bytes = new TextEncoder().encode(
      '---\ntitle: Gift cards\ncategory: payments\n---\nThey never expire.',
    );
    await ingestFile(
      kb,
      { filename: 'gift.md', bytes },
      { category: 'billing', slug: 'Gift Cards (EU)' },
    );
    expect(calls[0]).toMatchObject({
      title: 'Gift cards',
      category: 'billing',
      slug: 'gift-cards-eu',
    });
  });

  it('reports unchanged content from the knowledge base', async () => {
    const { kb } = fakeKnowledgeBase();
    const file = {
      filename: 'hours.txt',
      bytes: new TextEncoder().encode('Hours\n\nOpen 9 to 5.'),
    };
    expect((await ingestFile(kb, file)).changed).toBe(true);
    expect((await ingestFile(kb, file)).changed).toBe(false);
  });

  it('refuses files over the size limit before reading them', async () => {
    const { kb, calls } = fakeKnowledgeBase();
    const promise = ingestFile(
      kb,
      { filename: 'manual.pdf', bytes: new Uint8Array(3 * 1024 * 1024) },
      { maxBytes: 2 * 1024 * 1024 },
    );
    await expect(promise).rejects.toThrow(TandemError);
    await expect(promise).rejects.toMatchObject({
      code: 'payload_too_large:kb',
      status: 413,
      message: 'manual.pdf is 3 MB; files up to 2 MB can be added.',
    });
    expect(calls).toHaveLength(0);
  });

  it('indexes nothing when extraction fails', async () => {
    const { kb, calls } = fakeKnowledgeBase();
    const progress: IngestProgress[] = [];
    await expect(
      ingestFile(
        kb,
        { filename: 'broken.pdf', bytes: new TextEncoder().encode('%PDF-1.4 nonsense') },
        { onProgress: (p) => progress.push(p) },
      ),
    ).rejects.toMatchObject({ code: 'bad_request:kb' });
    expect(calls).toHaveLength(0);
    expect(progress).toEqual([{ stage: 'extracting', done: 0, total: 1 }]);
  });
});

describe('ingestUrl', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(helpPageHtml);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fetches, extracts and indexes a page', async () => {
    const { kb, calls } = fakeKnowledgeBase();
    const progress: IngestProgress[] = [];
    const result = await ingestUrl(kb, `${base}/help/returns`, {
      allowPrivateNetworks: true,
      category: 'returns',
      onProgress: (p) => progress.push(p),
    });
    expect(result.changed).toBe(true);
    expect(calls[0]).toMatchObject({
      title: 'Returns and refunds',
      slug: 'returns-and-refunds',
      category: 'returns',
      sourceType: 'url',
      origin: `${base}/help/returns`,
    });
    expect(progress.map((p) => p.stage)).toEqual([
      'extracting',
      'extracting',
      'chunking',
      'embedding',
      'storing',
      'done',
    ]);
  });

  it('refuses a private address unless allowed, indexing nothing', async () => {
    const { kb, calls } = fakeKnowledgeBase();
    await expect(ingestUrl(kb, `${base}/help/returns`)).rejects.toMatchObject({
      code: 'forbidden:url',
    });
    expect(calls).toHaveLength(0);
  });
});
