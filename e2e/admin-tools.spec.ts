import { expect, type Page, test } from '@playwright/test';

const ADMIN = { email: 'admin@tandem.local', password: 'e2e-admin-password' };

async function signInAsAdmin(page: Page, path: string) {
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(new RegExp(`${path}$`));
}

test('an admin creates an API key that works once shown, then revokes it', async ({ page }) => {
  await signInAsAdmin(page, '/admin/api-keys');
  const form = page.getByRole('form', { name: 'New API key' });
  await form.getByLabel('Name').fill('Shop backend');
  await form.getByRole('button', { name: 'Create key' }).click();

  const shown = page.getByRole('status');
  await expect(shown).toContainText('Copy the key for “Shop backend” now');
  const key = (await shown.locator('code').textContent())!.trim();
  const row = page.getByRole('row').filter({ hasText: 'Shop backend' });
  await expect(row).toContainText('read, write');

  const call = () =>
    page.request.get('/api/v1/kb/stats', { headers: { authorization: `Bearer ${key}` } });
  expect((await call()).status()).toBe(200);

  await row.getByRole('button', { name: 'Revoke Shop backend' }).click();
  await expect(row).toContainText('revoked');
  expect((await call()).status()).toBe(401);
});

test('an admin adds a canned response agents can use, and deletes it', async ({ page }) => {
  await signInAsAdmin(page, '/admin/canned-responses');
  const form = page.getByRole('form', { name: 'New canned response' });
  await form.getByLabel('Shortcut').fill('refund-window');
  await form.getByLabel('Title').fill('Refund window');
  await form.getByLabel('Text').fill('Refunds are possible within 30 days of delivery.');
  await form.getByRole('button', { name: 'Add' }).click();

  await expect(page.getByRole('listitem').filter({ hasText: '/refund-window' })).toContainText(
    'Refunds are possible within 30 days',
  );
  await expect(form.getByLabel('Shortcut')).toHaveValue('');

  // The same shortcut twice is refused with the server's reason, and nothing is added.
  await form.getByLabel('Shortcut').fill('refund-window');
  await form.getByLabel('Title').fill('Again');
  await form.getByLabel('Text').fill('Duplicate');
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'The shortcut /refund-window is taken.' }),
  ).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: '/refund-window' })).toHaveCount(1);

  await page.getByRole('button', { name: 'Delete /refund-window' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: '/refund-window' })).toHaveCount(0);
});

test('an admin registers a webhook (secret shown once), disables and deletes it; a private address is refused', async ({
  page,
}) => {
  await signInAsAdmin(page, '/admin/webhooks');
  const form = page.getByRole('form', { name: 'New webhook endpoint' });

  await form.getByLabel('URL').fill('http://127.0.0.1:9/hooks');
  await form.getByLabel('csat.received').check();
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  const refusal = page
    .getByRole('alert')
    .filter({ hasText: 'webhooks go only to public addresses' });
  await expect(refusal).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: '127.0.0.1' })).toHaveCount(0);

  const url = 'https://1.1.1.1/tandem-e2e-hooks';
  await form.getByLabel('URL').fill(url);
  await form.getByLabel('Description').fill('CRM sync');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(refusal).toHaveCount(0);
  await expect(page.getByRole('status')).toContainText(`Copy the signing secret for ${url}`);
  const row = page.getByRole('row').filter({ hasText: url });
  await expect(row).toContainText('csat.received');
  await expect(row).toContainText('enabled');

  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row).toContainText('disabled');
  await row.getByRole('button', { name: 'Delivery log' }).click();
  await expect(page.getByText('No deliveries yet.')).toBeVisible();
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('row').filter({ hasText: url })).toHaveCount(0);
});

test('an admin edits the glossary and the retention periods, and both stay saved', async ({
  page,
}) => {
  await signInAsAdmin(page, '/admin/glossary');
  const terms = page.getByLabel('Glossary terms');
  // The seeded glossary has loaded before it is edited.
  await expect(terms).not.toHaveValue('');
  const original = await terms.inputValue();
  await terms.fill(`${original}\n优惠券 = coupon`);
  await page.getByRole('button', { name: 'Save glossary' }).click();
  await expect(page.getByRole('status')).toContainText(/Saved \d+ terms\./);
  await page.reload();
  await expect(page.getByLabel('Glossary terms')).toHaveValue(/优惠券 = coupon/);
  await page.getByLabel('Glossary terms').fill(original);
  await page.getByRole('button', { name: 'Save glossary' }).click();
  await expect(page.getByRole('status')).toContainText('Saved');

  await page.goto('/admin/privacy');
  const summaries = page.getByLabel('Conversation summaries (days)');
  const before = await summaries.inputValue();
  await summaries.fill('400');
  await page.getByRole('button', { name: 'Save retention' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved. The next hourly run applies it.');
  await page.reload();
  await expect(page.getByLabel('Conversation summaries (days)')).toHaveValue('400');
  await page.getByLabel('Conversation summaries (days)').fill(before);
  await page.getByRole('button', { name: 'Save retention' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved. The next hourly run applies it.');
});
