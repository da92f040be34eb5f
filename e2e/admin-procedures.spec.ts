import { expect, type Page, test } from '@playwright/test';
import { ADMIN } from './fixtures/staff';

async function signIn(page: Page, who: { email: string; password: string }, then: string) {
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(then)}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === then);
}

test('an admin writes a procedure, fixes what the server finds wrong, saves and publishes it', async ({
  page,
}) => {
  const name = `gift_wrap_${Date.now().toString(36)}`;
  await signIn(page, ADMIN, '/admin/procedures');
  await expect(
    page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Procedures' }),
  ).toBeVisible();
  // The demo's returns procedure is listed with its live version.
  await expect(page.getByRole('row', { name: /start_a_return/ })).toContainText('version 1');

  await page.getByRole('button', { name: 'New procedure' }).click();
  const editor = page.getByRole('region', { name: 'Procedure' });
  await editor.getByLabel('Name').fill(name);
  await editor.getByLabel('What it handles').fill('A customer wants an order gift-wrapped.');
  await editor.getByLabel(/Phrasings/).fill('Can you gift-wrap my order?');

  await editor.getByLabel('New step').selectOption({ label: 'Ask for a value' });
  await editor.getByRole('button', { name: 'Add step' }).click();
  const ask = editor.getByRole('group', { name: 'Step 1', exact: true });
  await ask.getByLabel('Question').fill('Which order should we gift-wrap?');
  await ask.getByLabel('Keep the answer as').fill('order_number');
  const pattern = ask.getByLabel(/^Pattern/);
  await pattern.fill('(PC\\d{6}');

  await editor.getByLabel('New step').selectOption({ label: 'End' });
  await editor.getByRole('button', { name: 'Add step' }).click();
  const end = editor.getByRole('group', { name: 'Step 2', exact: true });
  await end.getByLabel(/Closing words/).fill('We will gift-wrap {order_number}.');

  // The server checks the pattern and says which field is wrong, next to it.
  await editor.getByRole('button', { name: 'Save draft' }).click();
  await expect(pattern).toHaveAttribute('aria-invalid', 'true');
  await expect(ask).toContainText('must be a valid regular expression');
  await expect(editor.getByText('The procedure cannot be saved as it is:')).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);

  await pattern.fill('#?PC\\d{6}');
  await editor.getByRole('button', { name: 'Save draft' }).click();
  await expect(editor.getByRole('status')).toHaveText(
    `Saved the draft of ${name} (version 1, not yet published).`,
  );
  await expect(pattern).not.toHaveAttribute('aria-invalid');
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('draft, never published');
  await expect(editor.getByRole('region', { name: 'Version history' })).toContainText(
    'Not published yet.',
  );

  await editor.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(editor.getByRole('status')).toHaveText(`Published version 1 of ${name}.`);
  const history = editor.getByRole('region', { name: 'Version history' });
  await expect(history.getByRole('listitem').first()).toContainText('Version 1');
  await expect(history).toContainText('live');
  await expect(history).toContainText('2 steps');
  await expect(row).toContainText('version 1');
  await expect(row).toContainText('same as published');

  // What was saved is what the editor shows when it is opened again.
  await page.reload();
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  await expect(
    page.getByRole('group', { name: 'Step 1', exact: true }).getByLabel(/^Pattern/),
  ).toHaveValue('#?PC\\d{6}');
});
