import { expect, test } from '@playwright/test';

test.use({ locale: 'zh-CN' });

test('a customer with a Chinese browser asks in Chinese and gets a Chinese answer citing a Chinese article', async ({
  page,
}) => {
  await page.goto('/widget');
  const box = page.getByRole('textbox', { name: '消息' });
  await expect(box).toHaveAttribute('placeholder', '请输入您的问题…');
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await box.fill('退款多久能到账？');
  await page.getByRole('button', { name: '发送' }).click();
  await (await answered).finished();

  const answer = page.locator('article[data-author="ai"]').last();
  await expect(answer).toContainText('2 个工作日');
  const sources = answer.getByRole('navigation', { name: '参考文章' }).getByRole('link');
  await expect(sources).toHaveText(['退款政策及如何申请退款']);
  await expect(sources.first()).toHaveAttribute('href', '/kb/zh-refund-policy');

  // The visitor can switch the widget to English, and the choice is kept.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
});
