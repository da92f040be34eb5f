import { expect, type Page, test } from '@playwright/test';

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

test('a frustrated customer is escalated and told why and what happens next', async ({ page }) => {
  await page.goto('/widget');
  await ask(
    page,
    "THIS IS THE THIRD TIME I'M ASKING!!! My order STILL hasn't arrived. Ridiculous.",
  );
  const answer = lastAnswer(page);
  await expect(answer).toContainText(
    "I can see this has been frustrating, so I'm bringing in a member of our team.",
  );
  await expect(answer).toContainText(
    /opened ticket TKT-\d{4,} so it can't get lost\. A person will reply right here/,
  );

  // While a person is on the way the bot stays out of the conversation.
  await ask(page, 'Hello?');
  await expect(lastAnswer(page)).toHaveText(
    /Thanks — I've added this to your conversation\. A person from our support team will reply here\./,
  );
});
