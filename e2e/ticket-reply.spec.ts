import { expect, test } from '@playwright/test';
import { untilNoOneOnline } from './fixtures/staff';

const AGENT = { email: 'agent@tandem.local', password: 'e2e-agent-password' };

test('an agent answers the ticket of a customer who asked for a person while no one was online', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await untilNoOneOnline(browser, baseURL!);
  const customerContext = await browser.newContext();
  const agentContext = await browser.newContext();
  try {
    const customer = await customerContext.newPage();
    await customer.goto('/widget');
    const answered = customer.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await customer
      .getByRole('textbox', { name: 'Message' })
      .fill('Hi, my name is Tilda. I want to talk to a person, please.');
    await customer.getByRole('button', { name: 'Send' }).click();
    await (await answered).finished();
    const reply = customer.locator('article[data-author="ai"]').last();
    await expect(reply).toContainText('No one from our support team is online right now');
    const ticket = (await reply.textContent())!.match(/TKT-\d+/)![0];

    const agent = await agentContext.newPage();
    await agent.goto('/sign-in');
    await agent.getByLabel('Email').fill(AGENT.email);
    await agent.getByLabel('Password').fill(AGENT.password);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.waitForURL(/\/console/);
    await agent
      .getByRole('list', { name: 'Conversations' })
      .getByRole('link')
      .filter({ hasText: 'Tilda' })
      .click();
    const tickets = agent.getByRole('region', { name: 'Tickets' });
    await expect(tickets).toContainText(`${ticket}`);
    await tickets.getByText('Reply', { exact: true }).click();
    const form = tickets.getByRole('form', { name: `Reply to ${ticket}` });
    await form.getByRole('textbox').fill('We found your parcel; it arrives tomorrow.');
    await form.getByRole('button', { name: 'Send reply' }).click();
    // The e2e server has no SMTP: the reply is kept on the ticket and the agent is told it was not mailed.
    await expect(form.getByRole('status')).toHaveText(
      'Saved on the ticket. Not emailed: no customer address, or mail is not set up.',
    );
    await expect(tickets).toContainText('(waiting customer)');
  } finally {
    await customerContext.close();
    await agentContext.close();
  }
});
