import { expect, type Page, test } from '@playwright/test';
import { untilNoOneOnline } from './fixtures/staff';

async function ask(page: Page, question: string) {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await page.getByRole('textbox', { name: 'Message' }).fill(question);
  await page.getByRole('button', { name: 'Send' }).click();
  await (await answered).finished();
}

const lastAnswer = (page: Page) => page.locator('article[data-author="ai"]').last();

test('a customer opens a ticket through the chat and sees its number', async ({ page }) => {
  await page.goto('/widget');
  await ask(page, 'Please open a ticket about my blender arriving broken.');
  const confirmation = lastAnswer(page);
  await expect(confirmation).toContainText(
    /I've opened ticket TKT-\d{4,} — “My blender arriving broken”\. Our support team will follow up by email/,
  );
  const ticket = (await confirmation.locator('strong').first().textContent())!;
  expect(ticket).toMatch(/^TKT-\d{4,}$/);

  await ask(page, `What's the status of ${ticket}?`);
  await expect(lastAnswer(page)).toContainText(
    `Ticket ${ticket} (“My blender arriving broken”) is open.`,
  );
});

test('a frustrated customer is escalated and told why and what happens next', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await untilNoOneOnline(browser, baseURL!);
  await page.goto('/widget');
  await ask(
    page,
    "THIS IS THE THIRD TIME I'M ASKING!!! My order STILL hasn't arrived. Ridiculous.",
  );
  const answer = lastAnswer(page);
  await expect(answer).toContainText(
    "I can see this has been frustrating, so I'm bringing in a member of our team.",
  );
  // No one is online, so the customer is told to expect an email, not a chat.
  await expect(answer).toContainText(
    /No one from our support team is online right now, so I've opened ticket TKT-\d{4,}/,
  );
  await expect(answer).toContainText(/we'll reply by email/);

  // While a person is on the way the bot stays out of the conversation.
  const answers = await page.locator('article[data-author="ai"]').count();
  await ask(page, 'Hello?');
  await expect(page.locator('article[data-author="customer"]').last()).toHaveText(/Hello\?/);
  await expect(page.locator('article[data-author="ai"]')).toHaveCount(answers);
});
