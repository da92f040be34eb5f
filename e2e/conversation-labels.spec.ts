import { expect, test } from '@playwright/test';
import { AGENT, signedInContext } from './fixtures/staff';
import { ask } from './fixtures/widget';

test('after a take-over the console labels the conversation, not its last "ok thanks"', async ({
  browser,
  baseURL,
}) => {
  // Two browsers, a hand-off and a take-over: three times the usual time on a busy machine.
  test.slow();
  const customerContext = await browser.newContext();
  const agentContext = await signedInContext(browser, baseURL!, AGENT);
  try {
    const customer = await customerContext.newPage();
    await customer.goto('/widget');
    await ask(customer, 'Hi, my name is Nadia. Someone hacked my account and made payments!');
    // Urgent, so handed to the team straight away, with a ticket.
    await expect(customer.locator('article[data-author="ai"]').last()).toContainText(/TKT-\d+/);

    const agent = await agentContext.newPage();
    await agent.goto('/console');
    const queue = agent.getByRole('list', { name: 'Conversations' });
    const item = queue.getByRole('link').filter({ hasText: 'Nadia' });
    await item.click();
    await expect(agent.getByRole('heading', { name: 'Nadia' })).toBeVisible();
    await agent.getByRole('button', { name: 'Take over' }).click();
    await expect(agent.getByTestId('owner-line')).toHaveText('You have this conversation');

    await ask(customer, 'ok thanks');
    const transcript = agent.getByRole('list', { name: 'Transcript' });
    await expect(transcript.locator('li[data-role="customer"]').last()).toContainText('ok thanks');

    // The last message alone reads low and positive…
    const latest = agent.getByRole('region', { name: 'Latest message' });
    const fact = (name: string) => latest.locator(`dt:text-is("${name}") + dd`);
    await expect(fact('Priority')).toHaveText('low');
    await expect(fact('Sentiment')).toContainText('positive');
    // …the conversation stays urgent and negative, its mood improving, in the header and queue.
    const labels = agent.getByTestId('conversation-labels');
    await expect(labels).toContainText('urgent');
    await expect(labels).toContainText('negative');
    await expect(labels).toContainText('improving');
    await expect(labels).not.toContainText('positive');
    await expect(agent.getByTestId('topic')).toHaveText(
      'Someone hacked my account and made payments',
    );
    await expect(item).toContainText('Someone hacked my account and made payments');
    await expect(item).toContainText('urgent');
    await expect(item).toContainText('improving');

    // The summary covers the whole conversation; the ticket is titled by the problem.
    const summary = agent.getByRole('region', { name: 'Summary' });
    await expect(summary).toContainText('Customer: Someone hacked my account and made payments!');
    await expect(summary).toContainText('Support Agent joined the conversation.');
    await expect(summary).toContainText('Latest from the customer: “ok thanks”.');
    await expect(agent.getByRole('region', { name: 'Tickets' })).toContainText(
      /TKT-\d+ Someone hacked my account and made payments/,
    );
  } finally {
    await customerContext.close();
    await agentContext.close();
  }
});
