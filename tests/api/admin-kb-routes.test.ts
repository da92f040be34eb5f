import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as reindex } from '@/app/api/admin/kb/documents/[id]/reindex/route';
import {
  DELETE as deleteDocument,
  PATCH as editDocument,
  GET as getDocument,
} from '@/app/api/admin/kb/documents/[id]/route';
import { POST as addDocument, GET as listDocuments } from '@/app/api/admin/kb/documents/route';
import { POST as tryQuestion } from '@/app/api/admin/kb/try/route';
import { encodeStaffSession } from '@/lib/auth/staff-session';
import type { AppContext } from '@/lib/context';
import { getDocumentBySlug } from '@/lib/kb/queries';
import { createStaff, type StaffUser } from '@/lib/staff/queries';
import { serveRoutesFrom, signedInStaff, startServedTestApp, startTestApp } from '../harness/app';
import { buildDocx, buildPdf } from '../kb/ingest/sample-files';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** A PDF no seeded article covers, so retrieval finding it proves the upload was indexed. */
const dronePdfPages = [
  [
    { text: 'Drone delivery', size: 22 },
    { text: 'Parcelly drones deliver parcels under 2 kg within 30 minutes.', gapBefore: 12 },
    { text: 'Drone delivery costs 4 euros and is available in Rotterdam.' },
    { text: 'Landing pads', size: 15, gapBefore: 14 },
    { text: 'The drone lowers the parcel onto a landing pad in your garden.', gapBefore: 6 },
  ],
];

let app: AppContext;
let stop: () => Promise<void>;
let admin: StaffUser;
let agent: StaffUser;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  const make = async (name: string, role: 'agent' | 'admin') =>
    (await signedInStaff(app, role, name)).staff;
  admin = await make('Ada', 'admin');
  agent = await make('Dana', 'agent');
}, 60_000);
afterAll(() => stop());

const cookieFor = async (who: StaffUser) =>
  `next-auth.session-token=${await encodeStaffSession(app, who)}`;

type Init = { method?: string; cookie?: string; json?: unknown; form?: FormData };

function request(path: string, init: Init = {}) {
  const headers: Record<string, string> = init.cookie ? { cookie: init.cookie } : {};
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  return new Request(`http://localhost${path}`, {
    method: init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET'),
    headers,
    body: init.form ?? (init.json === undefined ? undefined : JSON.stringify(init.json)),
  });
}

const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });

function fileForm(name: string, bytes: Uint8Array, type = '') {
  const form = new FormData();
  form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
  return form;
}

type Event = { type: string; [key: string]: unknown };

async function events(response: Response): Promise<Event[]> {
  const text = await response.text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);
}

async function upload(name: string, bytes: Uint8Array, type = '') {
  const response = await addDocument(
    request('/api/admin/kb/documents', {
      cookie: await cookieFor(admin),
      form: fileForm(name, bytes, type),
    }),
    params({}),
  );
  return { response, events: response.ok ? await events(response) : [] };
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe('who may manage the knowledge base', () => {
  it('refuses visitors with 401 and agents with 403 on every route', async () => {
    const pdf = await buildPdf(dronePdfPages);
    const calls = (cookie?: string) => [
      listDocuments(request('/api/admin/kb/documents', { cookie }), params({})),
      addDocument(
        request('/api/admin/kb/documents', { cookie, form: fileForm('drone.pdf', pdf) }),
        params({}),
      ),
      addDocument(
        request('/api/admin/kb/documents', { cookie, json: { url: 'https://example.com/' } }),
        params({}),
      ),
      getDocument(request('/x', { cookie }), params({ id: UNKNOWN_ID })),
      editDocument(
        request('/x', { method: 'PATCH', cookie, json: { title: 'New' } }),
        params({ id: UNKNOWN_ID }),
      ),
      deleteDocument(request('/x', { method: 'DELETE', cookie }), params({ id: UNKNOWN_ID })),
      reindex(request('/x', { method: 'POST', cookie }), params({ id: UNKNOWN_ID })),
      tryQuestion(request('/x', { cookie, json: { question: 'drones?' } }), params({})),
    ];
    for (const response of await Promise.all(calls())) {
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe('unauthorized:console');
    }
    const agentCookie = await cookieFor(agent);
    for (const response of await Promise.all(calls(agentCookie))) {
      expect(response.status).toBe(403);
      expect(await errorOf(response)).toEqual({
        code: 'forbidden:admin',
        message: 'Only admins can do this.',
      });
    }
    expect(await getDocumentBySlug(app.database.db, 'drone-delivery')).toBeNull();
  });
});

describe('listing and searching documents', () => {
  it('lists every document with its source, size and passage count', async () => {
    const response = await listDocuments(
      request('/api/admin/kb/documents', { cookie: await cookieFor(admin) }),
      params({}),
    );
    expect(response.status).toBe(200);
    const { documents, total } = (await response.json()) as {
      documents: Record<string, unknown>[];
      total: number;
    };
    expect(documents.length).toBeGreaterThanOrEqual(16);
    expect(total).toBe(documents.length);
    const reset = documents.find((d) => d.slug === 'reset-your-password');
    expect(reset).toMatchObject({
      title: 'Reset your password',
      sourceType: 'markdown',
      language: 'en',
    });
    expect(reset!.chunks).toBeGreaterThan(0);
    expect(reset!.characters).toBeGreaterThan(100);
    expect(reset).not.toHaveProperty('content');
  });

  it('finds documents by words in their title or text, case-insensitively', async () => {
    const search = async (q: string) => {
      const response = await listDocuments(
        request(`/api/admin/kb/documents?q=${encodeURIComponent(q)}`, {
          cookie: await cookieFor(admin),
        }),
        params({}),
      );
      expect(response.status).toBe(200);
      return ((await response.json()) as { documents: { slug: string }[] }).documents.map(
        (d) => d.slug,
      );
    };
    expect(await search('TWO-FACTOR')).toContain('set-up-two-factor-authentication');
    expect(await search('zzz-nothing-like-this')).toEqual([]);
    // LIKE wildcards are searched for literally: "%" finds the articles that mention a percentage.
    const percent = await search('%');
    expect(percent).toContain('refund-policy');
    expect(percent).not.toContain('reset-your-password');
  });
});

describe('uploading files', () => {
  it('indexes a PDF, streaming each stage, and the bot then answers from it', async () => {
    const { response, events: stream } = await upload('drone.pdf', await buildPdf(dronePdfPages));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const stages = stream.filter((e) => e.type === 'progress').map((e) => e.stage);
    expect(stages[0]).toBe('extracting');
    expect(stages).toEqual(expect.arrayContaining(['chunking', 'embedding', 'storing']));
    expect(stages.at(-1)).toBe('done');
    const done = stream.at(-1)!;
    expect(done).toMatchObject({
      type: 'done',
      changed: true,
      replaced: false,
      document: {
        slug: 'drone-delivery',
        title: 'Drone delivery',
        sourceType: 'pdf',
        origin: 'drone.pdf',
      },
    });

    const tried = await tryQuestion(
      request('/x', {
        cookie: await cookieFor(admin),
        json: { question: 'How much does drone delivery cost?' },
      }),
      params({}),
    );
    expect(tried.status).toBe(200);
    const result = (await tried.json()) as {
      passages: { slug: string; score: number; sectionPath: string; usedForAnswer: boolean }[];
      confidence: number;
      threshold: number;
      answer: { text: string; abstained: boolean; sources: { slug: string }[] };
    };
    expect(result.passages[0]).toMatchObject({ slug: 'drone-delivery', usedForAnswer: true });
    expect(result.passages[0]!.score).toBeGreaterThan(result.passages.at(-1)!.score);
    expect(result.confidence).toBeGreaterThanOrEqual(result.threshold);
    expect(result.answer.abstained).toBe(false);
    expect(result.answer.text).toContain('4 euros');
    expect(result.answer.sources.map((s) => s.slug)).toContain('drone-delivery');
  });

  it('indexes a DOCX with its headings as sections, under the category asked for', async () => {
    const form = fileForm('Warranty.docx', await buildDocx());
    form.append('category', 'Warranty');
    const response = await addDocument(
      request('/api/admin/kb/documents', { cookie: await cookieFor(admin), form }),
      params({}),
    );
    const stream = await events(response);
    expect(response.status).toBe(200);
    const done = stream.at(-1)!;
    expect(done).toMatchObject({
      type: 'done',
      document: { slug: 'warranty-claims', sourceType: 'docx', category: 'Warranty' },
    });
    const id = (done.document as { id: string }).id;
    const detail = await getDocument(
      request('/x', { cookie: await cookieFor(admin) }),
      params({ id }),
    );
    const { document } = (await detail.json()) as { document: { content: string; chunks: number } };
    expect(document.content).toContain('## What the warranty covers');
    expect(document.chunks).toBeGreaterThan(1);
  });

  it('says so when the same file is uploaded again, and when a document is replaced', async () => {
    const again = await upload('Warranty.docx', await buildDocx());
    expect(again.events.at(-1)).toMatchObject({ type: 'done', changed: false, replaced: false });

    const newer = await buildPdf([
      [
        { text: 'Warranty claims', size: 22 },
        { text: 'Warranties now last three years.', gapBefore: 12 },
      ],
    ]);
    const replaced = await upload('warranty-2027.pdf', newer);
    expect(replaced.events.at(-1)).toMatchObject({
      type: 'done',
      changed: true,
      replaced: true,
      document: { slug: 'warranty-claims', sourceType: 'pdf', category: 'Warranty' },
    });
  });

  it('refuses a corrupt PDF with 400 and stores nothing', async () => {
    const before = await app.kb.retrieve('broken manual', { limit: 1 });
    const { response } = await upload(
      'broken-manual.pdf',
      new TextEncoder().encode('%PDF-1.7\nthis is not really a PDF'),
      'application/pdf',
    );
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('bad_request:kb');
    expect(error.message).toMatch(/^broken-manual\.pdf could not be read as PDF/);
    expect(await getDocumentBySlug(app.database.db, 'broken-manual')).toBeNull();
    expect(await app.kb.retrieve('broken manual', { limit: 1 })).toEqual(before);
  });

  it('refuses an image or a legacy .doc with 415, naming the file', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const { response } = await upload('screenshot.png', png, 'image/png');
    expect(response.status).toBe(415);
    expect(await errorOf(response)).toEqual({
      code: 'unsupported_media_type:kb',
      message: 'screenshot.png is not supported: images cannot be added to the knowledge base.',
    });
    const doc = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    const legacy = await upload('manual.doc', doc, 'application/msword');
    expect(legacy.response.status).toBe(415);
    expect((await errorOf(legacy.response)).message).toContain('save it as .docx');
  });

  it('refuses an empty file, a form without a file, and several files in one request with 400', async () => {
    const empty = await upload('empty.md', new Uint8Array(), 'text/markdown');
    expect(empty.response.status).toBe(400);
    expect(await errorOf(empty.response)).toEqual({
      code: 'bad_request:kb',
      message: 'empty.md is empty.',
    });

    const cookie = await cookieFor(admin);
    const noFile = new FormData();
    noFile.append('category', 'Shipping');
    const missing = await addDocument(request('/x', { cookie, form: noFile }), params({}));
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toBe('Choose a file to upload (form field "file").');

    const two = fileForm('a.md', new TextEncoder().encode('# A\n\nText a.'));
    two.append('file', new File(['# B\n\nText b.'], 'b.md'));
    const several = await addDocument(request('/x', { cookie, form: two }), params({}));
    expect(several.status).toBe(400);
    expect((await errorOf(several)).message).toMatch(/one file per request/);
  });

  it('refuses a body that is neither a form nor JSON with 415', async () => {
    const response = await addDocument(
      new Request('http://localhost/x', {
        method: 'POST',
        headers: { cookie: await cookieFor(admin), 'content-type': 'text/plain' },
        body: 'hello',
      }),
      params({}),
    );
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type:kb');
  });
});

describe('adding by web address', () => {
  it('refuses an address that is not http(s) with 400, listing the field', async () => {
    const response = await addDocument(
      request('/x', { cookie: await cookieFor(admin), json: { url: 'ftp://example.com/a' } }),
      params({}),
    );
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('bad_request:kb');
    expect(error.message).toContain('url:');
  });

  it('refuses private network addresses unless configured to allow them', async () => {
    const response = await addDocument(
      request('/x', { cookie: await cookieFor(admin), json: { url: 'http://127.0.0.1:9/page' } }),
      params({}),
    );
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: 'forbidden:url' });
  });
});

describe('editing, re-indexing and deleting', () => {
  async function documentId(slug: string) {
    return (await getDocumentBySlug(app.database.db, slug))!.id;
  }

  it('edits the Markdown in place, keeping the slug, and retrieval follows the edit', async () => {
    const id = await documentId('reset-your-password');
    const response = await editDocument(
      request('/x', {
        method: 'PATCH',
        cookie: await cookieFor(admin),
        json: {
          title: 'Reset your password',
          body: '## Forgotten password\n\nPress the lighthouse button on the sign-in page to get a reset link.',
        },
      }),
      params({ id }),
    );
    expect(response.status).toBe(200);
    const { document } = (await response.json()) as {
      document: { id: string; slug: string; content: string; chunks: number };
    };
    expect(document).toMatchObject({ id, slug: 'reset-your-password', chunks: 1 });
    expect(document.content).toContain('lighthouse button');
    const { passages } = await app.kb.retrieve('lighthouse button', { limit: 1 });
    expect(passages[0]).toMatchObject({
      slug: 'reset-your-password',
      sectionPath: 'Forgotten password',
    });
  });

  it('refuses an empty edit or an empty title with 400, and unknown ids with 404', async () => {
    const cookie = await cookieFor(admin);
    const id = await documentId('track-your-order');
    const nothing = await editDocument(
      request('/x', { method: 'PATCH', cookie, json: {} }),
      params({ id }),
    );
    expect(nothing.status).toBe(400);
    expect((await errorOf(nothing)).message).toContain(
      'send at least one of title, body, category or summary',
    );
    const blank = await editDocument(
      request('/x', { method: 'PATCH', cookie, json: { title: '  ' } }),
      params({ id }),
    );
    expect(blank.status).toBe(400);
    expect(await errorOf(blank)).toMatchObject({
      code: 'bad_request:kb',
      details: { fields: [{ field: 'title', message: 'must not be empty' }] },
    });
    const unknown = await editDocument(
      request('/x', { method: 'PATCH', cookie, json: { title: 'x' } }),
      params({ id: UNKNOWN_ID }),
    );
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('not_found:kb_document');
    for (const missing of [
      await getDocument(request('/x', { cookie }), params({ id: UNKNOWN_ID })),
      await getDocument(request('/x', { cookie }), params({ id: 'not-a-uuid' })),
      await reindex(request('/x', { method: 'POST', cookie }), params({ id: UNKNOWN_ID })),
      await deleteDocument(request('/x', { method: 'DELETE', cookie }), params({ id: UNKNOWN_ID })),
    ]) {
      expect(missing.status).toBe(404);
    }
  });

  it('re-indexes a document: new passages and vectors for the same text', async () => {
    const id = await documentId('track-your-order');
    const chunksBefore = await app.database.db.query.kbChunks.findMany({
      where: (c, { eq }) => eq(c.documentId, id),
    });
    const response = await reindex(
      request('/x', { method: 'POST', cookie: await cookieFor(admin) }),
      params({ id }),
    );
    expect(response.status).toBe(200);
    const { document } = (await response.json()) as { document: { id: string; chunks: number } };
    expect(document).toMatchObject({ id, chunks: chunksBefore.length });
    const chunksAfter = await app.database.db.query.kbChunks.findMany({
      where: (c, { eq }) => eq(c.documentId, id),
    });
    expect(chunksAfter.map((c) => c.content)).toEqual(chunksBefore.map((c) => c.content));
    expect(chunksAfter.map((c) => c.id)).not.toEqual(chunksBefore.map((c) => c.id));
    expect(await app.vectors.count()).toBeGreaterThan(0);
    const { passages } = await app.kb.retrieve('where is my order tracking number', { limit: 1 });
    expect(passages[0]!.slug).toBe('track-your-order');
  });

  it('deletes a document, and the bot no longer cites it', async () => {
    const cookie = await cookieFor(admin);
    const id = await documentId('drone-delivery');
    const response = await deleteDocument(
      request('/x', { method: 'DELETE', cookie }),
      params({ id }),
    );
    expect(response.status).toBe(204);
    expect(await getDocumentBySlug(app.database.db, 'drone-delivery')).toBeNull();
    const tried = await tryQuestion(
      request('/x', { cookie, json: { question: 'How much does drone delivery cost?' } }),
      params({}),
    );
    const result = (await tried.json()) as {
      passages: { slug: string }[];
      answer: { abstained: boolean; sources: { slug: string }[]; text: string };
    };
    expect(result.passages.map((p) => p.slug)).not.toContain('drone-delivery');
    expect(result.answer.sources.map((s) => s.slug)).not.toContain('drone-delivery');
    expect(result.answer.text).not.toContain('4 euros');
    const again = await deleteDocument(request('/x', { method: 'DELETE', cookie }), params({ id }));
    expect(again.status).toBe(404);
  });
});

describe('trying a question', () => {
  it('abstains honestly when nothing in the knowledge base answers', async () => {
    const response = await tryQuestion(
      request('/x', {
        cookie: await cookieFor(admin),
        json: { question: 'What is the airspeed velocity of an unladen swallow?' },
      }),
      params({}),
    );
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      confidence: number;
      threshold: number;
      passages: { usedForAnswer: boolean }[];
      answer: { abstained: boolean; sources: unknown[]; text: string };
    };
    expect(result.confidence).toBeLessThan(result.threshold);
    expect(result.passages.every((p) => !p.usedForAnswer)).toBe(true);
    expect(result.answer).toMatchObject({ abstained: true, sources: [] });
    expect(result.answer.text).toMatch(/don't know/);
  });

  it('refuses an empty question with 400 and an oversized body with 413', async () => {
    const cookie = await cookieFor(admin);
    const empty = await tryQuestion(request('/x', { cookie, json: { question: ' ' } }), params({}));
    expect(empty.status).toBe(400);
    expect(await errorOf(empty)).toMatchObject({
      code: 'bad_request:kb',
      details: { fields: [{ field: 'question', message: 'must not be empty' }] },
    });
    const huge = await tryQuestion(
      request('/x', { cookie, json: { question: 'x'.repeat(70 * 1024) } }),
      params({}),
    );
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).code).toBe('payload_too_large:kb');
  });
});

describe('with private addresses allowed and a small upload limit', () => {
  let small: { app: AppContext; stop: () => Promise<void> };
  let server: Server;
  let base: string;
  let smallAdmin: StaffUser;

  beforeAll(async () => {
    small = await startTestApp({
      TANDEM_ALLOW_PRIVATE_URLS: 'true',
      TANDEM_MAX_UPLOAD_BYTES: '4096',
    });
    smallAdmin = await createStaff(small.app.database.db, {
      email: 'ada@example.com',
      name: 'Ada',
      role: 'admin',
      password: 'a good password',
    });
    serveRoutesFrom(Promise.resolve(small.app));
    server = createServer((req, res) => {
      if (req.url === '/help/pickup-lockers') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<!doctype html><html lang="en"><head><title>Pickup lockers</title></head><body><main><h1>Pickup lockers</h1><p>Parcels wait in a pickup locker for seven days before they return to the sender.</p></main></body></html>',
        );
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    server.close();
    await small.stop();
    serveRoutesFrom(Promise.resolve(app));
  });

  const smallCookie = async () =>
    `next-auth.session-token=${await encodeStaffSession(small.app, smallAdmin)}`;

  it('adds a web page by address, with progress', async () => {
    const response = await addDocument(
      request('/x', { cookie: await smallCookie(), json: { url: `${base}/help/pickup-lockers` } }),
      params({}),
    );
    expect(response.status).toBe(200);
    const stream = await events(response);
    expect(stream.at(-1)).toMatchObject({
      type: 'done',
      document: {
        slug: 'pickup-lockers',
        sourceType: 'url',
        origin: `${base}/help/pickup-lockers`,
      },
    });
    const { passages } = await small.app.kb.retrieve('how long does a parcel wait in a locker', {
      limit: 1,
    });
    expect(passages[0]!.slug).toBe('pickup-lockers');
  });

  it('reports an address that cannot be fetched with 400', async () => {
    const response = await addDocument(
      request('/x', { cookie: await smallCookie(), json: { url: `${base}/missing` } }),
      params({}),
    );
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('bad_request:url');
  });

  it('refuses a file over the upload limit with 413, naming the file and the limit', async () => {
    const big = new TextEncoder().encode(`# Big\n\n${'Lorem ipsum dolor sit amet. '.repeat(400)}`);
    const response = await addDocument(
      request('/x', {
        cookie: await smallCookie(),
        form: fileForm('big.md', big, 'text/markdown'),
      }),
      params({}),
    );
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toEqual({
      code: 'payload_too_large:kb',
      message: 'big.md is too large; files up to 4 KB can be added.',
    });
  });
});
