import { expect, type Page, test } from '@playwright/test';

const ADMIN = { email: 'admin@tandem.local', password: 'e2e-admin-password' };

/** Collects the page's Content-Security-Policy violations as the browser reports them. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test.describe('web security', () => {
  test('pages run under the nonce CSP: the widget answers, the demo shop and admin settings load, with no violations', async ({
    page,
  }) => {
    const violations = await watchViolations(page);
    const response = await page.goto('/widget');
    const csp = response!.headers()['content-security-policy']!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(response!.headers()['x-content-type-options']).toBe('nosniff');
    expect(response!.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    await page.getByRole('textbox', { name: 'Message' }).fill('How do I reset my password?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByText('Reset a forgotten password').first()).toBeVisible();

    await page.goto('/');
    await page.getByRole('button', { name: 'Chat with us' }).click();
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();

    await page.goto('/sign-in?callbackUrl=%2Fadmin%2Fsettings');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/settings/);
    await expect(page.getByRole('heading', { name: 'Allowed widget origins' })).toBeVisible();
    expect(violations).toEqual([]);
  });

  test('an admin allows a site: /widget may then be framed by it, and its preflight passes', async ({
    page,
    request,
  }) => {
    await page.goto('/sign-in?callbackUrl=%2Fadmin%2Fsettings');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/settings/);
    const form = page.getByRole('form', { name: 'Allowed widget origins' });
    await form.getByLabel('Origins').fill('https://shop.example.com');
    await form.getByRole('button', { name: 'Save origins' }).click();
    await expect(page.getByRole('status')).toContainText('1 site can embed the widget');

    try {
      const widget = await request.get('/widget');
      expect(widget.headers()['content-security-policy']).toContain(
        "frame-ancestors 'self' https://shop.example.com",
      );
      const preflight = await request.fetch('/api/chat', {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status()).toBe(204);
      expect(preflight.headers()['access-control-allow-origin']).toBe('https://shop.example.com');
      const other = await request.fetch('/api/chat', {
        method: 'OPTIONS',
        headers: { origin: 'https://other.example', 'access-control-request-method': 'POST' },
      });
      expect(other.status()).toBe(403);
      expect(other.headers()['access-control-allow-origin']).toBeUndefined();
    } finally {
      const reset = await page.request.put('/api/admin/settings/widget-origins', {
        data: { origins: [] },
      });
      expect(reset.ok()).toBe(true);
    }
  });
});
