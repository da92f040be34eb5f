import { type BrowserContext, expect, type Locator, type Page, test } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { cleanPort } from '../playwright.config';
import { ADMIN } from './fixtures/staff';

// This spec runs against its own instance (see playwright.config.ts): TANDEM_DEMO=false on a
// fresh embedded database, as a real deployment starts.
const cleanBase = `http://localhost:${cleanPort}`;

const SERVICING = `---
title: Servicing your bike
slug: servicing-your-bike
category: workshop
summary: How often to bring your bike in and what a service covers.
---

Bring your bike to the Gearwheel workshop for a full service every six months or every 3,000 km, whichever comes first.

## What a service covers

A full service costs 85 dollars and covers brakes, gears, chain, wheel truing and a safety check.
`;

const OPENING = `<!doctype html><html><head><title>Workshop opening times</title></head>
<body><h1>Workshop opening times</h1>
<p>The Gearwheel workshop on Harbour Road is open Tuesday to Saturday, from 9 in the morning until 6 in the evening.</p>
</body></html>`;

/** A help-center export as a customer would bring it: Markdown and HTML in folders. */
function helpCenterZip(): Buffer {
  return Buffer.from(
    zipSync({
      'help-center/workshop/servicing-your-bike.md': strToU8(SERVICING),
      'help-center/workshop/opening-times.html': strToU8(OPENING),
      'help-center/images/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    }),
  );
}

const LOGO_URL = 'https://cdn.gearwheel.example/logo.png';
// A 1×1 PNG, served in place of the logo's site (tests reach no network).
const LOGO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC',
  'base64',
);
const serveLogo = (target: Page | BrowserContext) =>
  target.route(LOGO_URL, (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: LOGO_PNG }),
  );
/** Whether the browser loaded and decoded an image (a page's policy can block it). */
const loaded = (image: Locator) =>
  image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);

async function signIn(page: Page) {
  await page.goto(`${cleanBase}/sign-in`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function nothingNamedParcelly(page: Page, path: string) {
  await page.goto(`${cleanBase}${path}`);
  await expect(page.locator('body')).not.toContainText(/parcelly/i);
  expect(await page.content()).not.toMatch(/parcelly/i);
}

test.describe('a clean desk', () => {
  test('shows nothing of the demo: no shop, no demo customers, no Parcelly', async ({
    page,
    request,
  }) => {
    await page.goto(`${cleanBase}/`);
    await expect(page.getByRole('link', { name: 'Browse the help center' })).toHaveAttribute(
      'href',
      '/kb',
    );
    await expect(page.getByRole('link', { name: 'Staff sign in' })).toBeVisible();
    // The demo shop's sign-in-as shoppers are not offered.
    await expect(page.getByText('Alice Tan')).toHaveCount(0);
    for (const path of ['/', '/kb', '/widget']) await nothingNamedParcelly(page, path);

    const openapi = await request.get(`${cleanBase}/api/demo-shop/openapi.json`);
    expect(openapi.status()).toBe(404);
    expect((await openapi.json()).error.code).toBe('not_found:demo_shop');
    const order = await request.get(
      `${cleanBase}/api/demo-shop/orders/PC100001?customer=demo-alice`,
      {
        headers: { authorization: 'Bearer anything' },
      },
    );
    expect(order.status()).toBe(404);
  });

  test('the first admin goes through the wizard; a customer is answered from the imported help center', async ({
    page,
    browser,
  }) => {
    // The whole first run: six steps, a test run on a copy of the desk, a customer's chat.
    test.setTimeout(120_000);
    await signIn(page);
    // /admin sends the first admin to the wizard until it is finished.
    await page.waitForURL(`${cleanBase}/admin/setup`);
    await expect(page.getByRole('heading', { name: 'Set up your desk' })).toBeVisible();

    // 1. The business.
    const business = page.getByRole('form', { name: 'Your business' });
    await business.getByLabel('Business name').fill('Gearwheel Cycles');
    await business.getByLabel('Assistant name').fill('Spoke');
    // A logo given by its address shows before it is saved.
    await serveLogo(page);
    await business.getByLabel('Logo address (https)').fill(LOGO_URL);
    await expect.poll(() => loaded(business.getByRole('img', { name: 'Logo preview' }))).toBe(true);
    await business.getByRole('button', { name: 'Save' }).click();
    await expect(business.getByRole('status')).toContainText('Saved');
    await page.getByRole('button', { name: 'Next' }).click();

    // 2. Business hours: skipped.
    await expect(page.locator('[aria-current="step"]')).toHaveText('2. Business hours');
    await page.getByRole('button', { name: 'Next' }).click();

    // 3. The help center, from a zip of Markdown and HTML.
    await expect(page.locator('[aria-current="step"]')).toHaveText('3. Help center');
    const zipForm = page.getByRole('form', { name: 'Import a zip' });
    await zipForm.locator('input[type="file"]').setInputFiles({
      name: 'help-center.zip',
      mimeType: 'application/zip',
      buffer: helpCenterZip(),
    });
    await zipForm.getByRole('button', { name: 'Import zip' }).click();
    const imported = page.getByRole('status').filter({ hasText: 'Imported 2 articles' });
    await expect(imported).toBeVisible({ timeout: 30_000 });
    await expect(imported.getByRole('listitem')).toHaveText([
      'Workshop opening times',
      'Servicing your bike',
    ]);
    await page.getByRole('button', { name: 'Next' }).click();

    // 4. An agent invited, with a temporary password shown once.
    const invite = page.getByRole('form', { name: 'Invite an agent' });
    await invite.getByLabel('Name').fill('Ravi Kumar');
    await invite.getByLabel('Email').fill('ravi@gearwheel.example');
    await invite.getByRole('button', { name: 'Invite' }).click();
    await expect(invite.getByRole('status')).toHaveText('Invited ravi@gearwheel.example.');
    const invited = page.getByRole('list', { name: 'Invited' }).getByRole('listitem');
    await expect(invited).toHaveCount(1);
    const password = (await invited.locator('code').textContent())!;
    await page.getByRole('button', { name: 'Next' }).click();

    // 5. The embed snippet, copied.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: cleanBase,
    });
    await page.getByRole('button', { name: 'Copy script tag' }).click();
    await expect(page.getByRole('button', { name: 'Copy script tag' })).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `<script src="${cleanBase}/embed.js" async></script>`,
    );
    await page.getByRole('button', { name: 'Next' }).click();

    // 6. The imported articles tested, each asked about by its title; then a question tried.
    const articleTests = page.getByRole('region', { name: 'Test the imported articles' });
    await articleTests.getByRole('button', { name: 'Test the articles' }).click();
    await expect(articleTests.getByRole('status')).toHaveText(
      /^2 of 2 articles were found and answered\./,
      { timeout: 60_000 },
    );
    await expect(articleTests.getByRole('link', { name: 'See each answer' })).toHaveAttribute(
      'href',
      /^\/admin\/tests\/runs\/[0-9a-f-]{36}$/,
    );
    await page
      .getByRole('textbox', { name: 'Question' })
      .fill('How often should I service my bike?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect(page.getByRole('figure', { name: "The bot's answer" })).toContainText(
      'every six months or every 3,000 km',
    );
    await page.getByRole('button', { name: 'Finish setup' }).click();
    await page.waitForURL(`${cleanBase}/admin`);
    await expect(page.getByRole('heading', { name: 'Set up your desk' })).toHaveCount(0);

    // The invited agent can sign in with what they were given.
    const agent = await browser.newContext();
    const agentPage = await agent.newPage();
    await agentPage.goto(`${cleanBase}/sign-in`);
    await agentPage.getByLabel('Email').fill('ravi@gearwheel.example');
    await agentPage.getByLabel('Password').fill(password);
    await agentPage.getByRole('button', { name: 'Sign in' }).click();
    await agentPage.waitForURL(`${cleanBase}/console`);
    await agent.close();

    // A customer asks in the widget, in the desk's own names, and is answered from the article.
    const customer = await browser.newContext();
    await serveLogo(customer);
    const chat = await customer.newPage();
    await chat.goto(`${cleanBase}/widget`);
    await expect(chat.getByText('Spoke, Gearwheel Cycles’s assistant')).toBeVisible();
    const answered = chat.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await chat
      .getByRole('textbox', { name: 'Message' })
      .fill('How often should I service my bike?');
    await chat.getByRole('button', { name: 'Send' }).click();
    await (await answered).finished();
    const answer = chat.locator('article[data-author="ai"]').last();
    await expect(answer).toContainText('every six months or every 3,000 km');
    await expect(answer.getByRole('navigation', { name: 'Sources' }).getByRole('link')).toHaveText([
      'Servicing your bike',
    ]);
    // The help center's chat launcher shows the saved logo: its site is allowed there.
    await chat.goto(`${cleanBase}/kb`);
    await expect
      .poll(() => loaded(chat.locator(`[data-tandem-chat-panel] img[src="${LOGO_URL}"]`)))
      .toBe(true);
    await customer.close();

    for (const path of ['/', '/kb', '/widget']) await nothingNamedParcelly(page, path);
    await page.goto(`${cleanBase}/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gearwheel Cycles support');
  });
});
