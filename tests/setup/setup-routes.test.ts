import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT as saveBusiness } from '@/app/api/admin/setup/business/route';
import { POST as importHelpCenter } from '@/app/api/admin/setup/import/route';
import { GET as readProgress, POST as saveProgress } from '@/app/api/admin/setup/progress/route';
import type { AppContext } from '@/lib/context';
import { listDocuments } from '@/lib/kb/queries';
import { getBranding, isSetupPending } from '@/lib/settings/desk-setup';
import { getAssistantIdentity, getWidgetSettings } from '@/lib/settings/settings';
import { signedInStaff, startServedTestApp } from '../harness/app';

let served: Awaited<ReturnType<typeof startServedTestApp>>;
let app: AppContext;
let admin: string;
let agent: string;
let site: Server;
let siteUrl: string;

const noParams = { params: Promise.resolve({}) };
const json = (path: string, cookie: string, method: string, body?: unknown) =>
  new Request(`http://localhost${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function ndjsonDone(response: Response) {
  const lines = (await response.text())
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  return lines.at(-1);
}

const PAGES: Record<string, string> = {
  '/sitemap.xml': `<?xml version="1.0"?><urlset><url><loc>SITE/delivery</loc></url><url><loc>SITE/missing</loc></url><url><loc>https://elsewhere.example/x</loc></url></urlset>`,
  '/delivery':
    '<html><head><title>Delivery times</title></head><body><h1>Delivery times</h1><p>Orders placed before noon ship the same day and arrive within two working days.</p></body></html>',
};

beforeAll(async () => {
  site = createServer((req, res) => {
    const page = PAGES[req.url ?? ''];
    if (!page) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('content-type', req.url?.endsWith('.xml') ? 'application/xml' : 'text/html');
    res.end(page.replaceAll('SITE', siteUrl));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  served = await startServedTestApp({ TANDEM_DEMO: 'false', TANDEM_ALLOW_PRIVATE_URLS: 'true' });
  app = served.app;
  admin = (await signedInStaff(app, 'admin', 'Ada Admin')).cookie;
  agent = (await signedInStaff(app, 'agent', 'Andy Agent')).cookie;
}, 120_000);
afterAll(async () => {
  await served?.stop();
  site?.close();
});

describe('the setup wizard’s routes on a clean desk', () => {
  it('start with the wizard pending and the knowledge base empty', async () => {
    expect(await isSetupPending(app.database.db)).toBe(true);
    expect(await listDocuments(app.database.db)).toEqual([]);
    const progress = await readProgress(json('/api/admin/setup/progress', admin, 'GET'), noParams);
    expect(await progress.json()).toEqual({ setup: { completedAt: null, visited: [] } });
  });

  it('save the business where the widget, prompts and greetings read it', async () => {
    const profile = {
      businessName: 'Gearwheel Cycles',
      assistantName: 'Spoke',
      colour: '#0F766E',
      logo: 'https://gearwheel.example/logo.png',
      languages: ['zh', 'en'],
    };
    expect(
      (await saveBusiness(json('/api/admin/setup/business', agent, 'PUT', profile), noParams))
        .status,
    ).toBe(403);
    const response = await saveBusiness(
      json('/api/admin/setup/business', admin, 'PUT', profile),
      noParams,
    );
    expect(response.status).toBe(200);
    expect(await getWidgetSettings(app.database.db)).toEqual({
      name: 'Spoke',
      businessName: 'Gearwheel Cycles',
      colour: '#0f766e',
      // In the main (first) language.
      greeting:
        '您好！我是Gearwheel Cycles的智能助手Spoke。请问有什么可以帮您？我会根据帮助中心回答，也可以为您转接人工客服。',
    });
    expect(await getAssistantIdentity(app.database.db)).toEqual({
      assistantName: 'Spoke',
      businessName: 'Gearwheel Cycles',
    });
    expect(await getBranding(app.database.db)).toEqual({
      logo: 'https://gearwheel.example/logo.png',
      languages: ['zh', 'en'],
    });

    const bad = await saveBusiness(
      json('/api/admin/setup/business', admin, 'PUT', {
        ...profile,
        colour: 'teal',
        logo: 'javascript:alert(1)',
        languages: [],
      }),
      noParams,
    );
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error.code).toBe('bad_request:setup');
    expect(JSON.stringify(error.details)).toMatch(/colour[\s\S]*logo[\s\S]*languages/);
  });

  it('import a zip of Markdown and HTML into the knowledge base', async () => {
    const form = new FormData();
    const zip = zipSync({
      'kb/servicing.md': strToU8(
        '---\ntitle: Servicing your bike\n---\n\nBring your bike in every six months.',
      ),
      'kb/hours.html': strToU8(
        '<html><head><title>Workshop hours</title></head><body><p>Open Tuesday to Saturday.</p></body></html>',
      ),
      'kb/photo.jpg': new Uint8Array([0xff, 0xd8, 0xff]),
    });
    form.append('file', new Blob([zip], { type: 'application/zip' }), 'help.zip');
    const response = await importHelpCenter(
      new Request('http://localhost/api/admin/setup/import', {
        method: 'POST',
        headers: { cookie: admin },
        body: form,
      }),
      noParams,
    );
    expect(response.status).toBe(200);
    const done = await ndjsonDone(response);
    expect(done.type).toBe('done');
    expect(done.added.map((a: { title: string }) => a.title)).toEqual([
      'Workshop hours',
      'Servicing your bike',
    ]);
    expect(done.failed).toEqual([]);
    const retrieved = await app.kb.retrieve('how often should I service my bike');
    expect(retrieved.passages[0]?.title).toBe('Servicing your bike');
  });

  it('refuse a file that is not a zip before anything is stored', async () => {
    const form = new FormData();
    form.append('file', new Blob(['# Hello']), 'notes.zip');
    const response = await importHelpCenter(
      new Request('http://localhost/api/admin/setup/import', {
        method: 'POST',
        headers: { cookie: admin },
        body: form,
      }),
      noParams,
    );
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe('unsupported_media_type:kb');
  });

  it('import the pages a sitemap lists on its own site, reporting those that fail', async () => {
    const response = await importHelpCenter(
      json('/api/admin/setup/import', admin, 'POST', { sitemap: `${siteUrl}/sitemap.xml` }),
      noParams,
    );
    expect(response.status).toBe(200);
    const done = await ndjsonDone(response);
    expect(done.added.map((a: { title: string }) => a.title)).toEqual(['Delivery times']);
    expect(done.failed).toHaveLength(1);
    expect(done.failed[0].name).toBe(`${siteUrl}/missing`);
  });

  it('record steps visited, then the wizard finished', async () => {
    const visit = await saveProgress(
      json('/api/admin/setup/progress', admin, 'POST', { visited: 'team' }),
      noParams,
    );
    expect((await visit.json()).setup).toEqual({ completedAt: null, visited: ['team'] });
    const bad = await saveProgress(
      json('/api/admin/setup/progress', admin, 'POST', { visited: 'nowhere' }),
      noParams,
    );
    expect(bad.status).toBe(400);
    expect(await isSetupPending(app.database.db)).toBe(true);
    const finished = await saveProgress(
      json('/api/admin/setup/progress', admin, 'POST', { complete: true }),
      noParams,
    );
    expect((await finished.json()).setup.completedAt).toEqual(expect.any(String));
    expect(await isSetupPending(app.database.db)).toBe(false);
  });
});
