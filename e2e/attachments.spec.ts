import { expect, type Page, test } from '@playwright/test';

// The desk runs with the default limit: 5 MB per attached file.
const MB = 1024 * 1024;

const fileInput = (page: Page) => page.locator('#tandem-attachment');
const filesToSend = (page: Page) => page.getByRole('list', { name: 'Files to send' });

test('a file over the limit or of another type is refused before sending, with the limit shown', async ({
  page,
}) => {
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/chat')) sent.push(r.url());
  });
  await page.goto('/widget');
  await fileInput(page).setInputFiles({
    name: 'invoice-scan.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.alloc(6 * MB, 0x25),
  });
  const refusal = page.getByRole('alert').filter({ hasText: /\S/ });
  await expect(refusal).toHaveText('invoice-scan.pdf is 6 MB; a file can be at most 5 MB.');
  await expect(page.getByText('PDF, Word, text, HTML or images, up to 5 MB each')).toBeVisible();
  await expect(filesToSend(page)).toHaveCount(0);

  await fileInput(page).setInputFiles({
    name: 'setup.exe',
    mimeType: 'application/x-msdownload',
    buffer: Buffer.from('MZ\u0090\u0000'),
  });
  await expect(refusal).toContainText('setup.exe cannot be attached.');
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  expect(sent).toEqual([]);
});

test('a chosen file can be removed before sending; a one-line text file is accepted', async ({
  page,
}) => {
  await page.goto('/widget');
  await fileInput(page).setInputFiles({
    name: 'wrong-photo.png',
    mimeType: 'image/png',
    buffer: Buffer.from('89504e470d0a1a0a', 'hex'),
  });
  await expect(filesToSend(page).getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Remove wrong-photo.png' }).click();
  await expect(filesToSend(page)).toHaveCount(0);

  await fileInput(page).setInputFiles({
    name: 'order.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Order 4471'),
  });
  await expect(filesToSend(page).getByRole('listitem')).toHaveText([/order\.txt/]);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await page.getByRole('textbox', { name: 'Message' }).fill('My order number is attached');
  await page.getByRole('button', { name: 'Send' }).click();
  const response = await answered;
  expect(response.status()).toBe(200);
  await response.finished();
  const sent = page.locator('article[data-author="customer"]').last();
  await expect(sent.getByRole('link', { name: 'order.txt' })).toBeVisible();
  await expect(page.getByText('Not sent')).toHaveCount(0);

  await page.reload();
  await expect(
    page.locator('article[data-author="customer"]').last().getByRole('link', { name: 'order.txt' }),
  ).toBeVisible();
});

test('a message that could not be sent stays on screen with its error and a Retry', async ({
  page,
}) => {
  await page.goto('/widget');
  await page.route('**/api/chat', (route) => route.abort('connectionreset'));
  await page.getByRole('textbox', { name: 'Message' }).fill('Can I change my delivery address?');
  await page.getByRole('button', { name: 'Send' }).click();
  const customer = page.locator('article[data-author="customer"]');
  await expect(customer).toHaveText([/Can I change my delivery address\?/]);
  const failure = customer.getByRole('alert');
  await expect(failure).toContainText('Not sent: Sorry, the message could not be sent.');

  await page.unroute('**/api/chat');
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await customer.getByRole('button', { name: 'Retry' }).click();
  await (await answered).finished();
  await expect(failure).toHaveCount(0);
  // The greeting, then the answer.
  await expect(page.locator('article[data-author="ai"]')).toHaveCount(2);

  // Stored this time: a reload still shows it, once.
  await page.reload();
  await expect(page.locator('article[data-author="customer"]')).toHaveText([
    /Can I change my delivery address\?/,
  ]);
});

test('the server answers 413 naming the limit and 415 naming the accepted types, and survives a garbage page', async ({
  request,
}) => {
  const send = (file: { name: string; type: string; bytes: Buffer }) =>
    request.post('/api/chat', {
      data: {
        message: {
          id: crypto.randomUUID(),
          role: 'user',
          parts: [
            {
              type: 'file',
              mediaType: file.type,
              filename: file.name,
              url: `data:${file.type};base64,${file.bytes.toString('base64')}`,
            },
            { type: 'text', text: 'See the attached file' },
          ],
        },
      },
    });

  // 12 MB of PDF is 16 MB of base64: more than Next lets through its proxy unless told otherwise.
  const big = await send({
    name: 'statement.pdf',
    type: 'application/pdf',
    bytes: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(12 * MB, 0x20)]),
  });
  expect(big.status()).toBe(413);
  expect((await big.json()).error).toMatchObject({
    code: 'payload_too_large:attachment',
    message: 'statement.pdf is 12 MB; a file can be at most 5 MB.',
  });

  const program = await send({
    name: 'setup.exe',
    type: 'application/x-msdownload',
    bytes: Buffer.from('MZ'),
  });
  expect(program.status()).toBe(415);
  const refused = (await program.json()).error;
  expect(refused.code).toBe('unsupported_media_type:attachment');
  expect(refused.message).toContain('setup.exe (application/x-msdownload) cannot be attached.');
  expect(refused.message).toContain('PDF, Word (.docx), text, Markdown, HTML');

  const garbage = await send({
    name: 'page.html',
    type: 'text/html',
    bytes: Buffer.from('<<html>><<<body <script>x</script></ <p'),
  });
  expect(garbage.status()).toBe(200);
  await garbage.body();
});
