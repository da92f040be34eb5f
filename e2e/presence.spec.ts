import { expect, test } from '@playwright/test';
import { ADMIN, signedInContext } from './fixtures/staff';

test('an agent who opens the console is online for customers, and notes sit in the thread', async ({
  browser,
  baseURL,
}) => {
  // An agent of this test's own: whatever other specs did to the demo agent's switch is theirs.
  const admin = await signedInContext(browser, baseURL!, ADMIN);
  const pat = {
    email: `pat-${Date.now().toString(36)}@example.com`,
    password: 'presence-e2e-password',
    name: 'Pat Presence',
  };
  const created = await admin.request.post('/api/admin/users', {
    data: { ...pat, role: 'agent' },
  });
  expect(created.status()).toBe(201);
  await admin.close();

  const agentContext = await signedInContext(browser, baseURL!, pat);
  const customerContext = await browser.newContext({ baseURL });
  try {
    // Opening the console is enough: the switch is never touched.
    const agent = await agentContext.newPage();
    await agent.goto('/console');
    await expect(agent.getByLabel('Availability')).toHaveValue('online');
    await expect(agent.getByTestId('presence')).toHaveAttribute('data-presence', 'online');
    await expect
      .poll(async () => (await agentContext.request.get('/api/console/agents')).json())
      .toMatchObject({
        agents: expect.arrayContaining([
          expect.objectContaining({ name: pat.name, available: true }),
        ]),
      });

    // So the customer is promised a person, and one does join.
    const customer = await customerContext.newPage();
    await customer.goto('/widget');
    const answered = customer.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await customer
      .getByRole('textbox', { name: 'Message' })
      .fill('Hi, my name is Isolde. I want to talk to a person, please.');
    await customer.getByRole('button', { name: 'Send' }).click();
    await (await answered).finished();
    const handOff = customer.locator('article[data-author="ai"]').last();
    await expect(handOff).toContainText('A person will join this chat shortly');
    await expect(handOff).not.toContainText('No one from our support team is online');

    await agent
      .getByRole('list', { name: 'Conversations' })
      .getByRole('link')
      .filter({ hasText: 'Isolde' })
      .click();
    await agent.getByRole('button', { name: 'Take over' }).click();
    await expect(agent.getByTestId('owner-line')).toHaveText('You have this conversation');
    await expect(customer.locator('[data-author="system"]').last()).toHaveText(
      `${pat.name} joined the conversation`,
    );

    // A note goes into the thread, marked internal, where it was written.
    await agent.getByRole('tab', { name: 'Internal note' }).click();
    await agent
      .getByRole('textbox', { name: 'Note for the team' })
      .fill('Isolde ordered twice; check both parcels.');
    await agent.getByRole('button', { name: 'Add note to thread' }).click();
    const transcript = agent.getByRole('list', { name: 'Transcript' });
    const note = transcript.locator('li[data-role="note"]');
    await expect(note).toContainText('Isolde ordered twice; check both parcels.');
    await expect(note).toContainText('Internal note · not shown to the customer');
    await expect(note).toContainText(pat.name);

    await agent.getByRole('tab', { name: 'Reply to customer' }).click();
    await agent.getByRole('textbox', { name: 'Reply' }).fill('Hi Isolde, I am on it.');
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(customer.locator('article[data-author="agent"]').last()).toContainText(
      'Hi Isolde, I am on it.',
    );
    await expect(transcript.locator('li[data-role]').last()).toHaveAttribute('data-role', 'agent');
    const roles = await transcript
      .locator('li[data-role]')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-role')));
    expect(roles.slice(-3)).toEqual(['system', 'note', 'agent']);
    // The customer never sees it, live or after a reload.
    await expect(customer.getByText('check both parcels')).toHaveCount(0);
    await customer.reload();
    await expect(customer.locator('article[data-author="agent"]').last()).toContainText(
      'Hi Isolde, I am on it.',
    );
    await expect(customer.getByText('check both parcels')).toHaveCount(0);

    // Away by hand holds: later specs see no one online.
    await agent.getByLabel('Availability').selectOption('away');
    await expect(agent.getByTestId('presence')).toHaveAttribute('data-presence', 'away');
    await expect
      .poll(async () => (await agentContext.request.get('/api/console/agents')).json())
      .toMatchObject({
        agents: expect.arrayContaining([
          expect.objectContaining({ name: pat.name, available: false }),
        ]),
      });
  } finally {
    await agentContext.close();
    await customerContext.close();
  }
});
