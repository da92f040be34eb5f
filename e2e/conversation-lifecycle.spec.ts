import { expect, type Page, test } from '@playwright/test';
import { ADMIN, AGENT, signedInContext } from './fixtures/staff';

/** Sends a question from the widget; resolves with the conversation its answer came from. */
async function ask(page: Page, question: string): Promise<string> {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await page.getByRole('textbox', { name: 'Message' }).fill(question);
  await page.getByRole('button', { name: 'Send' }).click();
  const response = await answered;
  await response.finished();
  expect(response.status()).toBe(200);
  return (await response.headerValue('x-conversation-id'))!;
}

test('resolve, rate, ask again: a new conversation starts, and the past one is listed read-only', async ({
  page,
  browser,
  baseURL,
}) => {
  const agent = await signedInContext(browser, baseURL!, AGENT);
  try {
    await page.goto('/widget');
    const first = await ask(page, 'How do I reset my password?');
    const thread = page.getByRole('log', { name: 'Conversation' });
    await expect(thread.locator('article[data-author="ai"]').last()).toContainText(
      'Reset a forgotten password',
    );

    // An agent resolves it; the customer sees it and rates it.
    const resolved = await agent.request.post(`/api/console/conversations/${first}/resolve`, {
      data: {},
    });
    expect(resolved.ok()).toBe(true);
    await expect(thread.locator('[data-author="system"]').last()).toHaveText(
      'Support Agent resolved the conversation',
    );
    const rating = page.getByRole('form', { name: 'Rate this conversation' });
    await rating.getByRole('button', { name: '5 out of 5' }).click();
    await rating.getByRole('button', { name: 'Send rating' }).click();
    const thanks = page.getByRole('status').filter({ hasText: 'Thanks for your feedback!' });
    await expect(thanks).toBeVisible();

    // A new question starts a new conversation; the rating stays with the resolved one.
    const second = await ask(page, 'How long do refunds take?');
    expect(second).not.toBe(first);
    await expect(thread.locator('article[data-author="ai"]').last()).toContainText(/refund/i);
    await expect(thanks).toHaveCount(0);
    await expect(rating).toHaveCount(0);
    await expect(thread.getByText('How do I reset my password?')).toHaveCount(0);
    await expect(thread.locator('article[data-author="customer"]')).toHaveCount(1);

    // Both are listed, newest first; the resolved one opens read-only with its rating.
    await page.getByRole('button', { name: 'Your conversations' }).click();
    const listed = page.getByRole('region', { name: 'Your conversations' }).getByRole('button');
    await expect(listed).toHaveCount(2);
    await expect(listed.nth(0)).toContainText('How long do refunds take?');
    await expect(listed.nth(0)).toContainText('Open · Current');
    await expect(listed.nth(1)).toContainText('How do I reset my password?');
    await expect(listed.nth(1)).toContainText('Resolved');
    await listed.nth(1).click();
    const past = page.getByRole('region', { name: 'Conversation', exact: true });
    await expect(past.locator('article[data-author="customer"]')).toHaveText(
      /How do I reset my password\?/,
    );
    await expect(past.getByText('You rated this conversation 5 out of 5.')).toBeVisible();
    await expect(
      past.getByText(
        'This conversation is resolved. To ask something new, start a new conversation.',
      ),
    ).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeHidden();

    // Back in the chat, the new conversation is as it was.
    await page.getByRole('button', { name: 'Your conversations' }).click();
    await page.getByRole('button', { name: 'Back to the chat' }).click();
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
    await expect(thread.locator('article[data-author="customer"]')).toHaveText([
      /How long do refunds take\?/,
    ]);

    // Agents see the link between the two conversations.
    const console = await agent.newPage();
    await console.goto(`/console/conversations/${second}`);
    const linked = console.getByRole('region', { name: 'Linked conversations' });
    await expect(linked).toContainText('Follows up on');
    await expect(linked.getByRole('link')).toHaveAttribute(
      'href',
      `/console/conversations/${first}`,
    );
  } finally {
    await agent.close();
  }
});

test('a customer who goes quiet is asked whether they are still there, then the conversation is resolved', async ({
  page,
  browser,
  baseURL,
}) => {
  // Two sign-ins, an answer and up to 20 s of waiting for the policy's passes.
  test.setTimeout(45_000);
  const admin = await signedInContext(browser, baseURL!, ADMIN);
  const setPolicy = async (ask: number, resolve: number) => {
    const saved = await admin.request.put('/api/admin/settings/inactivity', {
      data: {
        ask: { enabled: true, afterSeconds: ask },
        resolve: { enabled: true, afterSeconds: resolve },
      },
    });
    expect(saved.ok()).toBe(true);
  };
  try {
    // Seconds instead of the default ten minutes each, as an admin can set them in Settings.
    await setPolicy(5, 5);
    await page.goto('/widget');
    const id = await ask(page, 'How do I reset my password?');
    const answeredAt = Date.now();
    const thread = page.getByRole('log', { name: 'Conversation' });
    const fromAssistant = thread.locator('article[data-author="ai"]');
    await expect(fromAssistant.last()).toContainText('Reset a forgotten password');

    // Quiet: the question comes, then the closing, each within a pass (every 5 s) of its delay.
    await expect(fromAssistant.last()).toContainText('Are you still there?', { timeout: 15_000 });
    await expect(thread.locator('[data-author="system"]').last()).toHaveText(
      /^The conversation was resolved after \d+ seconds without a reply from the customer$/,
      { timeout: 15_000 },
    );
    expect(Date.now() - answeredAt).toBeLessThan(25_000);
    await expect(page.getByRole('form', { name: 'Rate this conversation' })).toBeVisible();

    await page.getByRole('button', { name: 'Your conversations' }).click();
    const listed = page.getByRole('region', { name: 'Your conversations' }).getByRole('button');
    await expect(listed.first()).toContainText('How do I reset my password?');
    await expect(listed.first()).toContainText('Resolved');

    // For agents it was resolved by the assistant: nobody took it.
    const detail = await admin.request.get(`/api/console/conversations/${id}`);
    expect(detail.ok()).toBe(true);
    expect((await detail.json()).conversation).toMatchObject({
      status: 'resolved',
      owner: 'ai',
      assignedAgent: null,
    });
  } finally {
    // Back to the product default, so the later specs' conversations are left alone.
    await setPolicy(600, 600);
    await admin.close();
  }
});
