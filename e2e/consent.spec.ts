import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { consentPort, recordingModelPort } from '../playwright.config';

// This spec runs against its own instance (see playwright.config.ts): consent is required, as it
// is by default, and the model is an OpenAI-compatible server that records every call.
const consentBase = `http://localhost:${consentPort}`;
const modelCalls = `http://127.0.0.1:${recordingModelPort}/calls`;

async function recordedCalls(request: APIRequestContext): Promise<{ path: string }[]> {
  return (await (await request.get(modelCalls)).json()).calls;
}

async function openChat(page: Page) {
  await page.goto(`${consentBase}/`);
  await page.getByRole('button', { name: 'Chat with us' }).click();
}

test.describe('consent', () => {
  test.beforeEach(async ({ request }) => {
    await request.delete(modelCalls);
  });

  test('a customer who declines reaches a person by email, and no model is called', async ({
    page,
    request,
  }) => {
    await openChat(page);
    const notice = page.getByRole('region', { name: 'Before we chat' });
    await expect(notice).toContainText('Your messages are processed by an AI model');
    await expect(notice.getByRole('link', { name: 'Privacy and your data' })).toHaveAttribute(
      'href',
      '/kb/privacy-and-your-data',
    );
    // The chat waits for an answer: there is nothing to type into yet.
    await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);

    const stored = page.waitForResponse((r) => r.url().endsWith('/api/chat/consent'));
    await notice.getByRole('button', { name: 'Decline' }).click();
    expect((await stored).status()).toBe(200);

    const form = page.getByRole('form', { name: 'Leave a message for our team' });
    await form.getByLabel('Your email').fill('mei@example.com');
    await form.getByLabel('Your message').fill('My parcel arrived damaged. What can I do?');
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await form.getByRole('button', { name: 'Send to the team' }).click();
    await (await answered).finished();

    const reply = page.locator('article[data-author="ai"]').last();
    await expect(reply).toContainText('You chose not to have your messages handled by AI');
    await expect(reply).toContainText(/opened ticket TKT-\d+/);
    await expect(reply).toContainText("we'll reply by email to mei@example.com");
    await expect(page.getByText('An answer from the recording model.')).toHaveCount(0);
    await expect(page.getByText('You declined AI processing')).toBeVisible();
    expect(await recordedCalls(request)).toEqual([]);
  });

  test('a customer who accepts is answered by the model (so the recorder does see calls)', async ({
    page,
    request,
  }) => {
    await openChat(page);
    await page
      .getByRole('region', { name: 'Before we chat' })
      .getByRole('button', { name: 'Accept' })
      .click();
    const message = page.getByRole('textbox', { name: 'Message' });
    await expect(message).toBeVisible();
    await message.fill('How do I reset my password?');
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await page.getByRole('button', { name: 'Send' }).click();
    await (await answered).finished();
    await expect(page.locator('article[data-author="ai"]').last()).toContainText(
      'An answer from the recording model.',
    );
    const calls = await recordedCalls(request);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.path === '/v1/chat/completions')).toBe(true);
  });

  test('the notice speaks Chinese when the visitor switches language', async ({ page }) => {
    await openChat(page);
    await page.getByRole('button', { name: '中文' }).click();
    const notice = page.getByRole('region', { name: '开始对话之前' });
    await expect(notice).toContainText('您的消息将由 AI 模型处理');
    await expect(notice.getByRole('button', { name: '拒绝' })).toBeVisible();
    await expect(notice.getByRole('button', { name: '同意' })).toBeVisible();
  });

  test('an admin rewords the notice: a new version, and the widget shows the new wording', async ({
    page,
  }) => {
    await page.goto(`${consentBase}/sign-in?callbackUrl=%2Fadmin%2Fsettings`);
    await page.getByLabel('Email').fill('admin@tandem.local');
    await page.getByLabel('Password').fill('e2e-admin-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/settings/);

    const form = page.getByRole('form', { name: 'Consent' });
    await expect(form.getByLabel('Ask for consent before the first message')).toBeChecked();
    const before = await form.getByTestId('consent-version').textContent();
    await form
      .getByLabel('Notice in English')
      .fill('We use AI to answer you and keep your messages for 30 days.');
    await form.getByRole('button', { name: 'Save consent' }).click();
    await expect(page.getByRole('status')).toContainText('Saved as version');
    await expect(form.getByTestId('consent-version')).not.toHaveText(before!);

    await openChat(page);
    await expect(page.getByRole('region', { name: 'Before we chat' })).toContainText(
      'We use AI to answer you and keep your messages for 30 days.',
    );
  });
});
