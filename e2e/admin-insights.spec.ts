import { expect, type Page, test } from '@playwright/test';

async function signInAsAdmin(page: Page) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('admin@tandem.local');
  await page.getByLabel('Password').fill('e2e-admin-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // An admin with no page in mind lands on the dashboard.
  await page.waitForURL(/\/admin$/);
}

async function ask(page: Page, text: string) {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await (await answered).finished();
}

test('an admin sees the insights, the unanswered question as a content gap, and the customer', async ({
  page,
  browser,
}) => {
  const visitor = await browser.newContext();
  const chat = await visitor.newPage();
  await chat.goto('/widget');
  await ask(chat, 'My name is Tomasz. Do you sell replacement parts for vintage typewriters?');
  await visitor.close();

  await signInAsAdmin(page);
  await page.goto('/admin?days=7');
  const figures = page.getByRole('region', { name: 'Key figures' });
  await expect(figures).toContainText('Conversations');
  await expect(page.getByRole('figure', { name: 'Conversations over time' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Escalation reasons' })).toBeVisible();
  // The visitor's question was not answered a moment ago: in progress, each outcome defined.
  const outcomes = page.getByRole('region', { name: 'Outcomes' });
  await expect(outcomes).toContainText('Resolved by the AI alone');
  await expect(outcomes).toContainText('with no person taking part and no escalation');
  await expect(outcomes.locator('[data-outcome="in_progress"] .tabular-nums')).toHaveText(
    /^[1-9]\d* · \d+%$/,
  );
  const csv = await page.request.get('/api/admin/export/conversations?days=7');
  expect(csv.status()).toBe(200);
  expect((await csv.text()).split('\n')[0]).toContain('id,created_at,customer_id');

  await page.getByRole('link', { name: 'Knowledge insights' }).click();
  const gaps = page.getByRole('region', { name: 'Content gaps' });
  await expect(gaps).toContainText('Do you sell replacement parts for vintage typewriters?');
  const topic = gaps.getByRole('listitem').filter({ hasText: 'typewriters' }).first();
  await topic.getByRole('button', { name: 'Draft an article' }).click();
  await expect(topic.getByRole('textbox')).toHaveValue(/Customers asked our assistant/);
  await topic.getByRole('button', { name: 'Publish article' }).click();
  await expect(topic.getByRole('alert')).toContainText('Finish the draft first');

  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('textbox', { name: 'Search customers' }).fill('Tomasz');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'Tomasz' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tomasz');
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText('Conversations1');
});
