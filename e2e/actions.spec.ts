import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { ADMIN, AGENT, signedInContext } from './fixtures/staff';

/*
 * The demo shop's actions in the browser, with the built-in model: a signed-in demo customer
 * gets an order's status from the shop, cancels an order after confirming in the widget (and
 * the shop's own order list shows it), an anonymous visitor is asked to sign in, and a change
 * needing approval waits in the console until an agent approves it.
 */

/** Signs the storefront in as a demo shopper, as a site passes a verified identity. */
async function signInAs(page: Page, userId: 'demo-alice' | 'demo-ben') {
  await page.goto('/');
  const reloaded = page.waitForEvent('load');
  await page.getByLabel('Demo: signed in as').selectOption(userId);
  await reloaded;
  await expect(page.getByLabel('Demo: signed in as')).toHaveValue(userId);
}

async function openChat(page: Page) {
  await page.getByRole('button', { name: 'Chat with us' }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
}

/** Sends a message, waits for the whole answer, and returns the conversation's id. */
async function ask(page: Page, text: string): Promise<string> {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  const response = await answered;
  await response.finished();
  return response.headers()['x-conversation-id']!;
}

const lastAnswer = (page: Page) => page.locator('article[data-author="ai"]').last();
const confirmation = (page: Page) => page.getByRole('region', { name: 'Please confirm' });
const order = (page: Page, number: string) =>
  page.getByRole('region', { name: 'Your orders' }).getByRole('listitem', {
    name: `Order ${number}`,
  });

test('a signed-in customer gets an order’s status, and cancels an order after confirming it', async ({
  page,
}) => {
  await signInAs(page, 'demo-alice');
  await expect(order(page, '#PC105120')).toHaveAttribute('data-status', 'processing');
  await openChat(page);

  await ask(page, 'Where is my order #PC105087?');
  await expect(lastAnswer(page)).toContainText('Order #PC105087 — Dispatched. Dispatched on');
  await expect(lastAnswer(page)).toContainText('with Ninja Van, tracking number NVSG26118405.');

  await ask(page, 'Please cancel my order #PC105120');
  await expect(lastAnswer(page)).toContainText(
    'Please confirm: Cancel an order (order number: #PC105120).',
  );
  const control = confirmation(page);
  await expect(control).toContainText('Cancel an order (order number: #PC105120)');
  // Nothing has changed in the shop before the customer confirms.
  await page.reload();
  await expect(order(page, '#PC105120')).toHaveAttribute('data-status', 'processing');
  await openChat(page);
  // After the reload the control is still there, still waiting.
  await confirmation(page).getByRole('button', { name: 'Confirm' }).click();
  await expect(confirmation(page)).toContainText('Done');
  await expect(lastAnswer(page)).toContainText('Done: order #PC105120 is cancelled.');

  // The demo shop shows the order cancelled.
  await page.reload();
  await expect(order(page, '#PC105120')).toHaveAttribute('data-status', 'cancelled');
  await expect(order(page, '#PC105120')).toContainText('Cancelled');
});

test('an anonymous visitor asking the same is asked to sign in, and no call is made', async ({
  page,
  browser,
  baseURL,
}) => {
  await page.goto('/');
  await expect(page.getByLabel('Demo: signed in as')).toHaveValue('');
  await openChat(page);
  const conversationId = await ask(page, 'Please cancel my order #PC105152');
  await expect(lastAnswer(page)).toHaveText(
    /I can only do that for a signed-in customer\. Please sign in on the website, then ask again\./,
  );
  await expect(confirmation(page)).toHaveCount(0);

  const agent = await signedInContext(browser, baseURL!, AGENT);
  try {
    const detail = await agent.request.get(`/api/console/conversations/${conversationId}`);
    expect((await detail.json()).actionCalls).toEqual([]);
  } finally {
    await agent.close();
  }
});

test('a change needing approval waits in the console until an agent approves it', async ({
  page,
  browser,
  baseURL,
}) => {
  const address = '1 Raffles Place, #20-01, Singapore 048616';
  await signInAs(page, 'demo-ben');
  await openChat(page);
  const conversationId = await ask(page, 'Change the delivery address of order #PC105152');
  await expect(lastAnswer(page)).toContainText(
    'Change the delivery address: what is the new address?',
  );
  await ask(page, address);
  await confirmation(page).getByRole('button', { name: 'Confirm' }).click();
  await expect(lastAnswer(page)).toContainText('A member of our team needs to approve this first');
  await expect(confirmation(page)).toContainText('waiting for our team’s approval');

  let agentContext: BrowserContext | undefined;
  try {
    agentContext = await signedInContext(browser, baseURL!, AGENT);
    const agent = await agentContext.newPage();
    await agent.goto(`/console/conversations/${conversationId}`);
    const actions = agent.getByRole('region', { name: 'Actions' });
    const waiting = actions.getByRole('listitem', {
      name: `Change the delivery address (order number: #PC105152, new address: ${address})`,
    });
    await expect(waiting).toHaveAttribute('data-status', 'awaiting_approval');
    await expect(waiting).toContainText('Needs approval');

    // Until an agent decides, the shop keeps the old address.
    const shop = await page.context().newPage();
    await shop.goto('/');
    await expect(order(shop, '#PC105152')).not.toContainText(address);

    await waiting.getByRole('button', { name: 'Approve' }).click();
    await expect(waiting).toHaveAttribute('data-status', 'completed');

    // The customer is told in the chat, live, and the shop has the new address.
    await expect(lastAnswer(page)).toContainText(
      `Done: order #PC105152 will now be delivered to ${address}.`,
    );
    await shop.reload();
    await expect(order(shop, '#PC105152')).toContainText(`Delivery to ${address}.`);
  } finally {
    await agentContext?.close();
  }
});

test('an admin imports an action from the demo shop’s OpenAPI document, tests it and enables it', async ({
  browser,
  baseURL,
}) => {
  const context = await signedInContext(browser, baseURL!, ADMIN);
  try {
    const page = await context.newPage();
    await page.goto('/admin/actions');
    await page.getByRole('button', { name: 'Import from OpenAPI' }).click();
    const importer = page.getByRole('region', { name: 'Import from OpenAPI' });
    await importer.getByLabel('OpenAPI document URL').fill(`${baseURL}/api/demo-shop/openapi.json`);
    await importer.getByRole('button', { name: 'Read document' }).click();
    const getOrder = importer.getByRole('checkbox', {
      name: /^GET \/orders\/\{number\} — Get an order/,
    });
    await expect(getOrder).toBeVisible();
    // The shop's writes are offered too, each as a write.
    await expect(importer.getByText('(cancel_order, write)')).toBeVisible();
    await getOrder.check();
    await importer.getByRole('button', { name: 'Import selected' }).click();
    await expect(page.getByRole('status')).toHaveText(
      'Imported get_order: test each, then enable it.',
    );
    const row = page.getByRole('row', { name: /Get an order/ });
    await expect(row).toContainText('disabled');
    await expect(row).toContainText(`GET ${baseURL}/api/demo-shop/orders/{input.number}`);

    // Tested before the shop's token is entered, it says what is missing; nothing is sent.
    await row.getByRole('button', { name: 'Test get_order' }).click();
    const tester = page.getByRole('region', { name: 'Test get_order' });
    await tester.getByLabel('number').fill('#PC105087');
    await tester.getByLabel('customer').fill('demo-alice');
    await tester.getByRole('button', { name: 'Run test' }).click();
    await expect(tester.getByRole('alert')).toHaveText(
      'The secret header Authorization has no value.',
    );

    // The admin gives the imported action the shop's token, write-only, and tests it again.
    const token = page.getByRole('note', { name: 'Demo shop token' }).locator('code').first();
    const bearer = (await token.textContent())!.trim();
    expect(bearer).toMatch(/^Bearer \S{20,}$/);
    const secrets = tester.getByRole('form', { name: 'Secret headers' });
    await expect(secrets).toContainText('Authorization (no value yet)');
    await secrets.getByLabel('Authorization secret value').fill(bearer);
    await secrets.getByRole('button', { name: 'Save secret values' }).click();
    await expect(page.getByText('Saved the secret value of Authorization.')).toBeVisible();
    await expect(secrets).toContainText('Authorization (set; type to replace)');
    await expect(secrets.getByLabel('Authorization secret value')).toHaveValue('');
    await tester.getByRole('button', { name: 'Run test' }).click();
    await expect(tester.getByRole('status')).toHaveText('Succeeded (200)');
    // The request is shown with the token masked, the answer with the order's status.
    await expect(tester).toContainText('authorization: ••••••');
    await expect(tester).not.toContainText(bearer);
    await expect(tester).toContainText(/"number": ?"#PC105087"/);

    await row.getByRole('button', { name: 'Enable get_order' }).click();
    await expect(row.getByRole('button', { name: 'Disable get_order' })).toBeVisible();
    await expect(row).toContainText('enabled');

    // The demo's own order_status stays the only order look-up the other specs' chats reach.
    await row.getByRole('button', { name: 'Delete get_order' }).click();
    await expect(page.getByRole('row', { name: /Get an order/ })).toHaveCount(0);
  } finally {
    await context.close();
  }
});
