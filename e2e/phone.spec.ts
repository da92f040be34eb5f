import { expect, test } from '@playwright/test';

const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 3 });

test('at 390×844 the demo shop fits the screen, the launcher can be tapped and the chat fills the screen', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // A page wider than the screen makes a phone zoom out (or scroll sideways).
  const layout = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(layout).toEqual({ scrollWidth: PHONE.width, innerWidth: PHONE.width });

  const launcher = page.getByRole('button', { name: 'Chat with us' });
  const spot = (await launcher.boundingBox())!;
  expect(spot.x).toBeGreaterThanOrEqual(0);
  expect(spot.y).toBeGreaterThanOrEqual(0);
  expect(spot.x + spot.width).toBeLessThanOrEqual(PHONE.width);
  expect(spot.y + spot.height).toBeLessThanOrEqual(PHONE.height);
  // tap() fails unless the button itself is what a finger there would touch.
  await launcher.tap();

  const chat = page.getByRole('dialog');
  await expect(chat).toBeVisible();
  expect(await chat.boundingBox()).toEqual({ x: 0, y: 0, ...PHONE });
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await chat.getByRole('textbox', { name: 'Message' }).fill('How long do refunds take?');
  await chat.getByRole('button', { name: 'Send' }).tap();
  await (await answered).finished();
  await expect(
    chat.locator('article[data-author="ai"]').last().getByRole('navigation', { name: 'Sources' }),
  ).toBeVisible();

  // The page's own button is under the full-screen chat: the chat has its own way out.
  await chat.getByRole('button', { name: 'Close chat' }).tap();
  await expect(chat).toBeHidden();
  await launcher.tap();
  await expect(chat.locator('article[data-author="customer"]')).toHaveCount(1);
});

test('at 390×844 the chat page itself fits the screen', async ({ page }) => {
  await page.goto('/widget');
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.width);
});
