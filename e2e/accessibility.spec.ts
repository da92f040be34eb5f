import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { ADMIN, AGENT, signedInContext } from './fixtures/staff';
import { ask } from './fixtures/widget';

// Each page is analysed whole by axe, several times a test: on a loaded machine that takes a while.
test.describe.configure({ timeout: 120_000 });

/** Serious and critical WCAG A/AA violations on the page as it is now, each with where it is. */
async function seriousViolations(page: Page, include?: string) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      where: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}

test('the chat widget: open, with an answer, has no serious accessibility problem', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Chat with us' }).click();
  // Opening the chat puts the customer in the message box, ready to type.
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await ask(page, 'How do I reset my password?');
  await expect(page.getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto('/widget');
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the help center: index, search and an article have no serious accessibility problem', async ({
  page,
}) => {
  await page.goto('/kb');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How can we help?');
  await expect(page.getByRole('button', { name: 'Chat with us' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('searchbox', { name: 'Search the help center' }).fill('reset my password');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/\/kb\?q=reset/);
  const results = page.getByRole('region', { name: 'Search results' });
  await expect(results.getByRole('link', { name: 'Reset your password' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await results.getByRole('link', { name: 'Reset your password' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reset your password');
  const feedback = page.getByRole('region', { name: 'Article feedback' });
  const stored = page.waitForResponse((r) => r.url().endsWith('/api/widget/article-feedback'));
  await feedback.getByRole('button', { name: 'Yes' }).click();
  expect((await stored).status()).toBe(204);
  await expect(feedback.getByRole('status')).toHaveText('Thanks for letting us know.');
  await expect(feedback.getByRole('button', { name: 'Yes' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  expect(await seriousViolations(page)).toEqual([]);

  const missing = await page.goto('/kb/no-such-article');
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('We couldn’t find that article');
  expect(await seriousViolations(page)).toEqual([]);
  const nowhere = await page.goto('/no-such-page');
  expect(nowhere?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page doesn’t exist');
  expect(await seriousViolations(page)).toEqual([]);
});

test('the console and the admin dashboard have no serious accessibility problem', async ({
  browser,
  baseURL,
  page,
}) => {
  await page.goto('/widget');
  await ask(page, 'I want to talk to a human about my order');

  const agent = await signedInContext(browser, baseURL!, AGENT);
  try {
    const console = await agent.newPage();
    await console.goto('/console');
    const item = console
      .getByRole('list', { name: 'Conversations' })
      .getByRole('link')
      .filter({ hasText: 'talk to a human' })
      .first();
    await item.click();
    await expect(console.getByRole('region', { name: 'Summary' })).toBeVisible();
    expect(await seriousViolations(console)).toEqual([]);
  } finally {
    await agent.close();
  }

  const admin = await signedInContext(browser, baseURL!, ADMIN);
  try {
    const dashboard = await admin.newPage();
    await dashboard.goto('/admin?days=7');
    await expect(dashboard.getByRole('region', { name: 'Key figures' })).toBeVisible();
    const reasons = dashboard.getByRole('figure', { name: 'Escalation reasons' });
    await expect(reasons).toBeVisible();
    // Bars have a legend; a range with nothing in it says so instead of drawing bare axes.
    await expect(reasons.locator('.recharts-legend-wrapper')).toContainText('Escalations');
    expect(await seriousViolations(dashboard)).toEqual([]);

    await dashboard.goto('/admin?from=2001-01-01&to=2001-01-07');
    await expect(dashboard.getByRole('figure', { name: 'By category' })).toContainText(
      'Not enough data yet',
    );
    await expect(dashboard.locator('[data-figure="AI first response"]')).toContainText('—');
    expect(await seriousViolations(dashboard)).toEqual([]);

    await dashboard.goto('/admin/knowledge-insights');
    await expect(dashboard.getByRole('region', { name: 'Reader feedback' })).toContainText(
      'Reset your password',
    );
    await dashboard.goto('/admin/audit');
    await expect(dashboard.getByRole('table')).toContainText(
      'Support Agent viewed the conversation with',
    );
    expect(await seriousViolations(dashboard)).toEqual([]);
  } finally {
    await admin.close();
  }
});
