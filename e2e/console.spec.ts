import { type Browser, expect, type Page, test } from '@playwright/test';
import { twinPorts } from '../playwright.config';

const AGENT = {
  email: 'agent@tandem.local',
  password: 'e2e-agent-password',
  name: 'Support Agent',
};
const ADMIN = { email: 'admin@tandem.local', password: 'e2e-admin-password' };

async function signIn(page: Page, baseURL: string, who: { email: string; password: string }) {
  await page.goto(`${baseURL}/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/(console|admin)$/);
}

async function ask(page: Page, text: string) {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await (await answered).finished();
}

const aiAnswers = (page: Page) => page.locator('article[data-author="ai"]');

async function handOffRoundTrip(
  browser: Browser,
  customerURL: string,
  agentURL: string,
  name: string,
) {
  const agentContext = await browser.newContext();
  const customerContext = await browser.newContext();
  try {
    const agent = await agentContext.newPage();
    await signIn(agent, agentURL, AGENT);
    await agent.getByLabel('Availability').selectOption('online');
    await expect(agent.getByText('● live')).toBeVisible();

    const customer = await customerContext.newPage();
    await customer.goto(`${customerURL}/widget`);
    await ask(customer, `Hi, my name is ${name}. I want to talk to a person, please.`);
    await expect(aiAnswers(customer).last()).toContainText('A person will join this chat shortly');

    // The escalation reaches the agent's queue live, without a reload.
    const queue = agent.getByRole('list', { name: 'Conversations' });
    const item = queue.getByRole('link').filter({ hasText: name });
    await expect(item).toBeVisible();
    await expect(item).toContainText('Waiting');
    await item.click();
    await expect(agent.getByRole('heading', { name })).toBeVisible();
    await agent.getByRole('button', { name: 'Take over' }).click();
    await expect(agent.getByTestId('owner-line')).toHaveText('You have this conversation');

    // The customer sees who joined, and the agent's reply, live.
    await expect(customer.locator('[data-author="system"]').last()).toHaveText(
      `${AGENT.name} joined the conversation`,
    );
    await agent.getByRole('textbox', { name: 'Reply' }).fill(`Hi ${name}, I'm here to help.`);
    await agent.getByRole('button', { name: 'Send' }).click();
    const agentMessage = customer.locator('article[data-author="agent"]').last();
    await expect(agentMessage).toContainText(`Hi ${name}, I'm here to help.`);
    await expect(agentMessage).toContainText(AGENT.name);

    // The customer's next message reaches the agent live, and the AI stays silent.
    const answersBefore = await aiAnswers(customer).count();
    await ask(customer, 'Thanks! My parcel PX-2211 never arrived.');
    const transcript = agent.getByRole('list', { name: 'Transcript' });
    await expect(transcript.locator('li[data-role="customer"]').last()).toContainText(
      'My parcel PX-2211 never arrived.',
    );
    await expect(aiAnswers(customer)).toHaveCount(answersBefore);
    await expect(transcript.locator('li[data-role="ai"]')).toHaveCount(1);

    // Handed back, the AI answers the next question.
    await agent.getByRole('button', { name: 'Hand back to AI' }).click();
    await expect(customer.locator('[data-author="system"]').last()).toHaveText(
      `${AGENT.name} handed the conversation back to the AI assistant`,
    );
    await ask(customer, 'How do I reset my password?');
    await expect(aiAnswers(customer)).toHaveCount(answersBefore + 1);
    await expect(aiAnswers(customer).last()).toContainText(/password/i);
    await expect(transcript.locator('li[data-role="ai"]')).toHaveCount(2);
    // Away again by hand, which holds however long the console stays open.
    await agent.getByLabel('Availability').selectOption('away');
    await expect
      .poll(async () => (await agent.request.get(`${agentURL}/api/console/agents`)).json())
      .toMatchObject({
        agents: expect.arrayContaining([
          expect.objectContaining({ name: AGENT.name, available: false }),
        ]),
      });
  } finally {
    await agentContext.close();
    await customerContext.close();
  }
}

test('a customer asks for a person, an agent takes over live, then hands back to the AI', async ({
  browser,
  baseURL,
}) => {
  await handOffRoundTrip(browser, baseURL!, baseURL!, 'Quinn');
});

test('two instances on one database and Redis: customer on one, agent on the other', async ({
  browser,
}) => {
  test.skip(twinPorts.length === 0, 'needs TEST_DATABASE_URL and TEST_REDIS_URL');
  const [customerPort, agentPort] = twinPorts;
  await handOffRoundTrip(
    browser,
    `http://localhost:${customerPort}`,
    `http://localhost:${agentPort}`,
    'Rosalind',
  );
});

test('customers cannot reach the console, and agents cannot reach admin pages', async ({
  page,
  baseURL,
}) => {
  await page.goto('/widget');
  await page.goto('/console');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fconsole/);
  const api = await page.request.get('/api/console/queue');
  expect(api.status()).toBe(401);
  expect((await api.json()).error.code).toBe('unauthorized:console');

  await signIn(page, baseURL!, AGENT);
  await page.goto('/admin/agents');
  await expect(page.getByRole('alert').filter({ hasText: 'Admins only' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Agents' })).toHaveCount(0);
  expect((await page.request.get('/api/admin/users')).status()).toBe(403);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in/);
  expect((await page.request.get('/api/console/queue')).status()).toBe(401);
});

test('an admin creates an agent who can then sign in', async ({ page, baseURL }) => {
  await signIn(page, baseURL!, ADMIN);
  await page.goto('/admin/agents');
  const form = page.getByRole('form', { name: 'New agent' });
  await form.getByLabel('Name').fill('Maya Chen');
  await form.getByLabel('Email').fill('maya@example.com');
  await form.getByLabel('Password').fill('maya-password-1');
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status')).toHaveText('Created maya@example.com.');
  await expect(page.getByRole('cell', { name: 'Maya Chen', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in/);
  await signIn(page, baseURL!, { email: 'maya@example.com', password: 'maya-password-1' });
  await expect(page.getByText('Maya Chen · agent')).toBeVisible();
});

test('an agent works a conversation: typing both ways, canned response, suggested reply, note, resolve', async ({
  browser,
  baseURL,
}) => {
  const agentContext = await browser.newContext();
  const customerContext = await browser.newContext();
  try {
    const agent = await agentContext.newPage();
    await signIn(agent, baseURL!, AGENT);
    const customer = await customerContext.newPage();
    await customer.goto('/widget');
    await ask(
      customer,
      'Hi, my name is Priya. I need to talk to a person about how long refunds take.',
    );

    // The queue's search finds her by what she wrote, and says so when nothing matches.
    const search = agent.getByRole('searchbox', { name: 'Search conversations' });
    await search.fill('no such words anywhere');
    await expect(agent.getByText('No conversations here match')).toBeVisible();
    await search.fill('how long refunds take');
    const conversations = agent.getByRole('list', { name: 'Conversations' }).getByRole('link');
    await expect(conversations).toHaveCount(1);
    await conversations.filter({ hasText: 'Priya' }).click();
    await agent.getByRole('button', { name: 'Take over' }).click();
    await expect(agent.getByTestId('owner-line')).toHaveText('You have this conversation');
    await expect(agent.getByRole('figure', { name: 'Sentiment trend' })).toBeVisible();
    await expect(agent.getByRole('region', { name: 'Escalation' })).toContainText(
      'Customer asked for a person',
    );

    // Typing shows both ways.
    await customer
      .getByRole('textbox', { name: 'Message' })
      .pressSequentially('Are you th', { delay: 30 });
    await expect(agent.getByText('Priya is typing…')).toBeVisible();
    const reply = agent.getByRole('textbox', { name: 'Reply' });
    await reply.pressSequentially('/hel', { delay: 30 });
    await expect(customer.getByRole('status', { name: 'Support Agent is typing' })).toBeVisible();

    // A canned response by shortcut.
    await expect(agent.getByRole('list', { name: 'Canned responses' })).toContainText('/hello');
    await reply.press('Tab');
    await expect(reply).toHaveValue(
      "Hi, thanks for waiting — I'm here now and I've read the conversation so far.",
    );
    await agent.getByRole('button', { name: 'Send' }).click();
    await expect(customer.locator('article[data-author="agent"]').last()).toContainText(
      'thanks for waiting',
    );

    // A reply drafted from the knowledge base, to edit before sending.
    await agent.getByRole('button', { name: 'Suggest reply' }).click();
    await expect(reply).toHaveValue(/refund/i);
    await expect(reply).toHaveValue(
      /More in our help center:\n- \[Refund policy and how to request a refund\]\(\/kb\/refund-policy\)/,
    );
    await reply.fill('Refunds reach your card within 5–10 business days of approval.');
    await agent.getByRole('button', { name: 'Send' }).click();
    await expect(customer.locator('article[data-author="agent"]').last()).toContainText(
      '5–10 business days',
    );

    // An internal note stays in the console, in the thread.
    await agent.getByRole('tab', { name: 'Internal note' }).click();
    await agent
      .getByRole('textbox', { name: 'Note for the team' })
      .fill('Asked twice before; offer priority handling.');
    await agent.getByRole('button', { name: 'Add note to thread' }).click();
    await expect(
      agent.getByRole('list', { name: 'Transcript' }).locator('li[data-role="note"]'),
    ).toContainText('offer priority handling');
    await agent.getByRole('tab', { name: 'Reply to customer' }).click();

    await agent.getByRole('button', { name: 'Resolve' }).click();
    await agent
      .getByLabel('Resolution note (optional, agents only)')
      .fill('Explained refund timing.');
    await agent.getByRole('button', { name: 'Confirm resolve' }).click();
    await expect(agent.getByTestId('owner-line')).toHaveText('Resolved');
    await expect(customer.locator('[data-author="system"]').last()).toHaveText(
      'Support Agent resolved the conversation',
    );
    await expect(customer.getByText('offer priority handling')).toHaveCount(0);
    await expect(customer.getByText('Explained refund timing')).toHaveCount(0);

    // Resolved: the customer is asked how it went.
    const rating = customer.getByRole('form', { name: 'Rate this conversation' });
    await rating.getByRole('button', { name: '5 out of 5' }).click();
    await rating.getByPlaceholder('Anything to add? (optional)').fill('Quick and clear.');
    await rating.getByRole('button', { name: 'Send rating' }).click();
    await expect(
      customer.getByRole('status').filter({ hasText: 'Thanks for your feedback!' }),
    ).toBeVisible();
  } finally {
    await agentContext.close();
    await customerContext.close();
  }
});
