import { expect, type Page, test } from '@playwright/test';

const ABSTENTION =
  "I'm sorry, I don't know the answer to that, and I couldn't find it in our help center. Would you like me to connect you with a person from our support team?";

const PASSWORD_STEPS = [
  'Go to parcelly.example/signin (or open the Parcelly app and tap Sign in).',
  'Select Forgot password? under the password field.',
  'Enter the email address you use for Parcelly and select Send reset link.',
  'Open the email from no-reply@parcelly.example with the subject "Reset your Parcelly password" and select Choose a new password.',
  "Enter your new password twice and select Save password. You'll be signed in automatically.",
];

async function openChat(page: Page) {
  await page.getByRole('button', { name: 'Chat with us' }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
}

/** Sends a question and waits until its answer has fully arrived (and so is stored). */
async function ask(page: Page, question: string) {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await page.getByRole('textbox', { name: 'Message' }).fill(question);
  await page.getByRole('button', { name: 'Send' }).click();
  await (await answered).finished();
}

const answers = (page: Page) => page.locator('article[data-author="ai"]');

/** Records every length the newest answer's text passes through while it arrives. */
async function watchAnswerGrowth(page: Page) {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { answerLengths: number[] }).answerLengths = seen;
    new MutationObserver(() => {
      const all = document.querySelectorAll('article[data-author="ai"]');
      const length = all[all.length - 1]?.textContent?.length ?? 0;
      if (seen.at(-1) !== length) seen.push(length);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

test('a customer asks the password question, sees the answer stream in, citing the right article', async ({
  page,
}) => {
  await page.goto('/');
  await openChat(page);
  await watchAnswerGrowth(page);
  await ask(page, 'How do I reset my password?');

  const answer = answers(page).last();
  await expect(answer.locator('strong').first()).toHaveText('Reset a forgotten password');
  await expect(answer.locator('ol > li')).toHaveText(PASSWORD_STEPS);
  const sources = answer.getByRole('navigation', { name: 'Sources' }).getByRole('link');
  await expect(sources).toHaveText(['Reset your password']);
  await expect(sources.first()).toHaveAttribute('href', '/kb/reset-your-password');

  // Every answer can be rated; the vote is stored.
  const voted = page.waitForResponse((r) => r.url().endsWith('/api/chat/feedback'));
  await answer.getByRole('button', { name: 'Helpful', exact: true }).click();
  expect((await voted).status()).toBe(204);
  await expect(answer.getByRole('button', { name: 'Helpful', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  const lengths = await page.evaluate(
    () => (window as unknown as { answerLengths: number[] }).answerLengths,
  );
  // Streamed in pieces (e2e/streaming.spec.ts counts them): seen at a partial length before the final one.
  expect(new Set(lengths).size).toBeGreaterThan(1);

  // Listening before the click: the new tab can open before the click's promise settles.
  const opened = page.context().waitForEvent('page');
  await sources.first().click();
  const article = await opened;
  await expect(article.getByRole('heading', { level: 1 })).toHaveText('Reset your password');
  await expect(article).toHaveURL(/\/kb\/reset-your-password$/);
});

test('a typing indicator shows while the answer is on its way', async ({ page }) => {
  await page.route('/api/chat', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });
  await page.goto('/widget');
  await page.getByRole('textbox', { name: 'Message' }).fill('How long do refunds take?');
  await page.getByRole('button', { name: 'Send' }).click();
  const typing = page.getByRole('status', { name: 'Parcelly Assistant is typing' });
  await expect(typing).toBeVisible();
  await expect(answers(page).last().getByRole('navigation', { name: 'Sources' })).toBeVisible();
  await expect(typing).toBeHidden();
});

test('a reload keeps the conversation', async ({ page }) => {
  await page.goto('/widget');
  await ask(page, 'How do I reset my password?');
  await expect(answers(page).last().locator('ol > li')).toHaveText(PASSWORD_STEPS);

  await page.reload();
  await expect(page.locator('article[data-author="customer"]')).toHaveText([
    /How do I reset my password\?/,
  ]);
  await expect(answers(page).last().locator('ol > li')).toHaveText(PASSWORD_STEPS);
  await expect(
    answers(page).last().getByRole('navigation', { name: 'Sources' }).getByRole('link'),
  ).toHaveText(['Reset your password']);

  await ask(page, 'What is the capital of France?');
  await expect(answers(page).last()).toContainText(ABSTENTION);
  await page.reload();
  await expect(page.locator('article[data-author="customer"]')).toHaveCount(2);
});

test('an off-topic question gets an honest "I don\'t know" and the offer of a person', async ({
  page,
}) => {
  await page.goto('/');
  await openChat(page);
  await ask(page, 'What is the capital of France?');
  const answer = answers(page).last();
  await expect(answer.locator('p')).toHaveText(ABSTENTION);
  await expect(answer.getByRole('navigation', { name: 'Sources' })).toHaveCount(0);

  // The offer is real: one click hands the conversation to the team.
  const handedOver = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await answer.getByRole('button', { name: 'Talk to a person' }).click();
  await (await handedOver).finished();
  await expect(answers(page).last()).toContainText(
    "You asked to speak with a person, so I'm bringing in a member of our team.",
  );
  await expect(page.getByRole('button', { name: 'Talk to a person' })).toHaveCount(0);
});

test('a greeting, an introduction and thanks are answered in kind, not with "I don\'t know"', async ({
  page,
}) => {
  await page.goto('/');
  await openChat(page);
  await ask(page, 'Hi, my name is Mia');
  await expect(answers(page).last().locator('p')).toHaveText(
    'Nice to meet you, Mia! What can I help you with today?',
  );
  await ask(page, 'How do I reset my password?');
  await expect(answers(page).last().getByRole('navigation', { name: 'Sources' })).toBeVisible();
  await ask(page, 'thanks, that helped!');
  await expect(answers(page).last().locator('p')).toHaveText(
    "You're welcome! Is there anything else I can help with?",
  );
  await expect(page.getByText(ABSTENTION)).toHaveCount(0);
});
