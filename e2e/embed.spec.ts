import { expect, type Page, test } from '@playwright/test';
import { deskURL } from '../playwright.config';
import { setWidgetOrigins } from './fixtures/staff';
import { type StaticSite, serveSite } from './fixtures/static-site';

// The shops are on 127.0.0.1 and the desk on localhost: different sites, over plain http, as a
// customer's shop and its support desk would be. The chat lives in a third-party iframe there,
// where the browser neither sends nor keeps the desk's SameSite=Lax cookie.

const shopPage = (title: string) => () =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
  `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>` +
  `<body><h1>${title}</h1><p>Kitchenware, delivered.</p>` +
  `<script src="${deskURL}/embed.js" async></script></body></html>`;

const STORAGE_KEY = `tandem-chat:${deskURL}`;

let shop: StaticSite;
let stranger: StaticSite;

test.beforeAll(async ({ browser }) => {
  shop = await serveSite('127.0.0.1', shopPage('An allowed shop'));
  stranger = await serveSite('127.0.0.1', shopPage('A shop nobody allowed'));
  await setWidgetOrigins(browser, deskURL, [shop.origin]);
});

test.afterAll(async ({ browser }) => {
  await setWidgetOrigins(browser, deskURL, []);
  await shop?.close();
  await stranger?.close();
});

const chatFrame = (page: Page) => page.frameLocator('#tandem-chat-frame');

/** Sends a question in the embedded chat; resolves with the finished /api/chat response. */
async function ask(page: Page, question: string) {
  const answered = page.waitForResponse(
    (r) => r.url() === `${deskURL}/api/chat` && r.request().method() === 'POST',
  );
  await chatFrame(page).getByRole('textbox', { name: 'Message' }).fill(question);
  await chatFrame(page).getByRole('button', { name: 'Send' }).click();
  const response = await answered;
  await response.finished();
  return response;
}

test('on a cross-site page the widget answers, and after a reload shows the conversation and continues it', async ({
  page,
  context,
}) => {
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('console', (message) => {
    if (/localStorage|Access is denied|Application error/i.test(message.text())) {
      failures.push(message.text());
    }
  });

  await page.goto(shop.origin);
  await page.getByRole('button', { name: 'Chat with us' }).click();
  const first = await ask(page, 'How do I reset my password?');
  expect(first.status()).toBe(200);
  const conversationId = first.headers()['x-conversation-id'];
  expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
  const answers = chatFrame(page).locator('article[data-author="ai"]');
  await expect(answers.last().locator('strong').first()).toHaveText('Reset a forgotten password');

  // No cookie carries the session here: the shop's own storage does, handed over by the loader.
  const cookies = await context.cookies(deskURL);
  expect(cookies.map((c) => c.name)).not.toContain('tandem_customer');
  const kept = await page.evaluate((key) => window.localStorage.getItem(key), STORAGE_KEY);
  expect(JSON.parse(kept ?? '{}')).toMatchObject({
    session: expect.stringMatching(/\S/),
    conversationId,
  });

  await page.reload();
  await page.getByRole('button', { name: 'Chat with us' }).click();
  await expect(chatFrame(page).locator('article[data-author="customer"]')).toHaveText([
    /How do I reset my password\?/,
  ]);
  await expect(answers.last().locator('strong').first()).toHaveText('Reset a forgotten password');

  const second = await ask(page, 'How long do refunds take?');
  expect(second.status()).toBe(200);
  expect(second.request().postDataJSON().conversationId).toBe(conversationId);
  expect(second.headers()['x-conversation-id']).toBe(conversationId);
  await expect(chatFrame(page).locator('article[data-author="customer"]')).toHaveCount(2);
  await expect(answers.last().getByRole('navigation', { name: 'Sources' })).toBeVisible();
  expect(failures).toEqual([]);
});

test('on a page whose origin is not allowed the launcher stays hidden and the console says why', async ({
  page,
}) => {
  const warned = page.waitForEvent(
    'console',
    (message) => message.type() === 'warning' && message.text().startsWith('Tandem chat:'),
  );
  await page.goto(stranger.origin);
  const warning = (await warned).text();
  expect(warning).toContain(`${stranger.origin} is not allowed to embed the chat`);
  expect(warning).toContain('Settings → Allowed widget origins');
  await expect(page.getByRole('heading', { name: 'A shop nobody allowed' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Chat with us' })).toHaveCount(0);
  await expect(page.locator('iframe')).toHaveCount(0);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the embedded chat fills the screen and closes from inside', async ({ page }) => {
    await page.goto(shop.origin);
    const launcher = page.getByRole('button', { name: 'Chat with us' });
    await launcher.tap();
    const frame = page.locator('#tandem-chat-frame');
    await expect(frame).toBeVisible();
    expect(await frame.boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    await expect(chatFrame(page).getByRole('textbox', { name: 'Message' })).toBeVisible();

    await chatFrame(page).getByRole('button', { name: 'Close chat' }).tap();
    await expect(frame).toBeHidden();
    await expect(launcher).toBeVisible();
    await launcher.tap();
    await expect(frame).toBeVisible();
  });
});
