import { type BrowserContext, expect, request as playwrightRequest, test } from '@playwright/test';
import { deskURL } from '../playwright.config';
import { ADMIN, AGENT, signedInContext } from './fixtures/staff';
import { type StaticSite, serveSite } from './fixtures/static-site';

// The attacker's page is another port of localhost: another origin of the same site as the desk,
// like a sibling subdomain. SameSite=Lax lets the browser send the staff cookie along with these
// requests; only the desk's own checks (Origin / Sec-Fetch-Site, JSON only) can stop them.

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;');

/**
 * A page that, once opened, fires every request a page of another origin can send without asking
 * the browser first: a no-cors fetch with a text/plain JSON body, a text/plain form shaped to
 * produce JSON, and an ordinary urlencoded form.
 */
function attackPage(target: string, fields: Record<string, string>): string {
  const json = JSON.stringify(fields);
  // A text/plain form sends `name=value`: this name and value add up to the JSON object above.
  const formName = `${json.slice(0, -1)},"padding":"`;
  const urlencoded = Object.entries(fields)
    .map(([k, v]) => `<input name="${k}" value="${escapeAttribute(v)}">`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Win a prize</title></head><body>
<h1>Congratulations!</h1>
<form id="plain" method="POST" action="${target}" enctype="text/plain" target="plain-sink">
  <input name='${escapeAttribute(formName)}' value='"}'>
</form>
<form id="encoded" method="POST" action="${target}" target="encoded-sink">${urlencoded}</form>
<iframe name="plain-sink"></iframe><iframe name="encoded-sink"></iframe>
<script>
  fetch(${JSON.stringify(target)}, {
    method: 'POST', mode: 'no-cors', credentials: 'include',
    headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(json)},
  });
  document.getElementById('plain').submit();
  document.getElementById('encoded').submit();
</script></body></html>`;
}

let attacker: StaticSite;
let pages: Record<string, string> = {};

test.beforeAll(async () => {
  attacker = await serveSite('localhost', (path) => pages[path] ?? '<!doctype html><p>nothing</p>');
});

test.afterAll(async () => {
  await attacker?.close();
});

/** Opens the attack page in the staff member's browser; resolves with the statuses the desk gave. */
async function sufferAttack(context: BrowserContext, path: string, target: string) {
  const page = await context.newPage();
  const statuses: number[] = [];
  page.on('response', (response) => {
    if (response.url() === target && response.request().method() === 'POST') {
      statuses.push(response.status());
    }
  });
  await page.goto(`${attacker.origin}${path}`);
  // The fetch and both forms reached the desk (and were answered).
  await expect.poll(() => statuses.length).toBe(3);
  await page.close();
  return statuses;
}

test('a page of another origin on the same site cannot make a signed-in admin create an admin', async ({
  browser,
}) => {
  const target = `${deskURL}/api/admin/users`;
  const forged = `forged-admin-${Date.now()}@example.com`;
  pages = {
    '/admin': attackPage(target, {
      email: forged,
      name: 'Forged Admin',
      role: 'admin',
      password: 'forged-password-1',
    }),
  };
  const admin = await signedInContext(browser, deskURL, ADMIN);
  try {
    const statuses = await sufferAttack(admin, '/admin', target);
    for (const status of statuses) expect([403, 415]).toContain(status);

    const users = (await (await admin.request.get('/api/admin/users')).json()) as {
      users: { email: string }[];
    };
    expect(users.users.length).toBeGreaterThan(0);
    expect(users.users.map((u) => u.email)).not.toContain(forged);
  } finally {
    await admin.close();
  }
});

test('a page of another origin on the same site cannot make a signed-in agent take over a conversation', async ({
  browser,
}) => {
  const customer = await playwrightRequest.newContext({ baseURL: deskURL });
  const started = await customer.post('/api/chat', {
    data: {
      message: {
        id: crypto.randomUUID(),
        role: 'user',
        parts: [{ type: 'text', text: 'Where is my parcel?' }],
      },
    },
  });
  expect(started.status()).toBe(200);
  const conversationId = started.headers()['x-conversation-id']!;
  await started.body();
  await customer.dispose();

  const target = `${deskURL}/api/console/conversations/${conversationId}/take-over`;
  pages = { '/agent': attackPage(target, { note: 'mine now' }) };
  const agent = await signedInContext(browser, deskURL, AGENT);
  try {
    const statuses = await sufferAttack(agent, '/agent', target);
    for (const status of statuses) expect([403, 415]).toContain(status);

    const detail = await agent.request.get(`/api/console/conversations/${conversationId}`);
    expect(detail.status()).toBe(200);
    expect((await detail.json()).conversation).toMatchObject({ owner: 'ai', assignedAgent: null });
  } finally {
    await agent.close();
  }
});
