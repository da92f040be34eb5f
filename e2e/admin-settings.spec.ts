import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';

const ADMIN = { email: 'admin@tandem.local', password: 'e2e-admin-password' };
/** The widget the demo seed gives a fresh desk: the Parcelly shop's assistant. */
const DEMO_WIDGET = JSON.parse(readFileSync('content/demo/widget-settings.json', 'utf8'));
const DEMO_NAME = 'Parcelly Assistant';
/** Tandem's own widget, which names no business. */
const DEFAULT_NAME = 'Support Assistant';

async function signInAsAdmin(page: Page) {
  await page.goto('/sign-in?callbackUrl=%2Fadmin%2Fsettings');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/admin\/settings/);
}

test.describe('admin settings', () => {
  // Other specs expect the demo's widget, so whatever happens here it comes back.
  test.afterEach(async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAsAdmin(page);
    const response = await page.request.put('/api/admin/settings/widget', { data: DEMO_WIDGET });
    expect(response.ok()).toBe(true);
    expect((await response.json()).widget).toMatchObject({ name: DEMO_NAME });
    await context.close();
  });

  test('an admin restyles the widget and the widget shows it; the embed snippets are ready to copy', async ({
    page,
    baseURL,
  }) => {
    await signInAsAdmin(page);
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();

    const form = page.getByRole('form', { name: 'Widget appearance' });
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue(DEMO_NAME);
    await expect(form.getByLabel('Business name')).toHaveValue('Parcelly');
    await form.getByLabel('Name', { exact: true }).fill('Kettle Helper');
    await form.getByLabel('Business name').fill('Kettle');
    await form.getByLabel('Colour', { exact: true }).fill('#b4235a');
    await form.getByLabel('Greeting').fill('Hello from Kettle! Ask me anything about your order.');
    await form.getByRole('button', { name: 'Save appearance' }).click();
    await expect(page.getByRole('status')).toContainText('Saved');

    const script = page.getByRole('region', { name: 'Script tag' });
    await expect(script.locator('code')).toHaveText(
      `<script src="${baseURL}/embed.js" async></script>`,
    );
    await expect(script.getByRole('button', { name: 'Copy script tag' })).toBeVisible();
    const iframe = page.getByRole('region', { name: 'Iframe' });
    await expect(iframe.locator('code')).toContainText(
      `<iframe src="${baseURL}/widget" title="Kettle Helper"`,
    );
    await expect(iframe.getByRole('button', { name: 'Copy iframe' })).toBeVisible();

    const widget = await page.context().newPage();
    await widget.goto('/widget');
    await expect(widget.getByRole('heading', { name: 'Chat with Kettle Helper' })).toBeAttached();
    const greeting = widget.locator('article[data-author="ai"]').first();
    await expect(greeting).toContainText('Kettle Helper');
    await expect(greeting).toContainText('Hello from Kettle! Ask me anything about your order.');
    await widget.getByRole('textbox', { name: 'Message' }).fill('Hi');
    await expect(widget.getByRole('button', { name: 'Send' })).toHaveCSS(
      'background-color',
      'rgb(180, 35, 90)',
    );
    // The assistant greets, and the pages are titled, as the business the settings name.
    await widget.getByRole('button', { name: 'Send' }).click();
    await expect(widget.locator('article[data-author="ai"]').last()).toHaveText(
      /Hi! I'm the Kettle assistant\. What can I help you with today\?/,
    );
    await expect(widget).toHaveTitle('Chat · Kettle Help');

    // The loader script on a host page: a button in the corner that opens the chat in an iframe.
    await widget.route('**/embed-host', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>Host</title><h1>A shop</h1><script src="${baseURL}/embed.js" async></script>`,
      }),
    );
    await widget.goto('/embed-host');
    const launcher = widget.getByRole('button', { name: 'Chat with us' });
    await expect(launcher).toHaveCSS('background-color', 'rgb(180, 35, 90)');
    await launcher.click();
    const frame = widget.frameLocator('iframe[title="Chat with Kettle Helper"]');
    await expect(frame.locator('article[data-author="ai"]').first()).toContainText(
      'Hello from Kettle!',
    );
    await expect(widget.getByRole('button', { name: 'Close chat' })).toBeVisible();
  });

  test('restoring the defaults brings back Tandem’s own widget, which names no business', async ({
    page,
  }) => {
    await signInAsAdmin(page);
    const form = page.getByRole('form', { name: 'Widget appearance' });
    await form.getByLabel('Name', { exact: true }).fill('Temporary Name');
    await form.getByRole('button', { name: 'Save appearance' }).click();
    await expect(page.getByRole('status')).toContainText('Saved');
    await form.getByRole('button', { name: 'Restore defaults' }).click();
    await expect(page.getByRole('status')).toContainText('Restored');
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue(DEFAULT_NAME);
    await expect(form.getByLabel('Business name')).toHaveValue('');

    await page.goto('/widget');
    await expect(page.locator('article[data-author="ai"]').first()).toContainText(DEFAULT_NAME);
    await expect(page.locator('body')).not.toContainText('Parcelly');
    await page.goto('/');
    await expect(page).toHaveTitle('Help center');
    await expect(page.locator('body')).not.toContainText('Parcelly');
  });
});
