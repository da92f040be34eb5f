import { expect, type Page, test } from '@playwright/test';
import { buildDocx, buildPdf } from '../tests/kb/ingest/sample-files';

const ADMIN = { email: 'admin@tandem.local', password: 'e2e-admin-password' };

/** A PDF about something no seeded article covers, so any answer about it comes from this file. */
const dronePdfPages = [
  [
    { text: 'Drone delivery', size: 22 },
    { text: 'Parcelly drones deliver parcels under 2 kg within 30 minutes.', gapBefore: 12 },
    { text: 'Drone delivery costs 4 euros and is available in Rotterdam.' },
    { text: 'Landing pads', size: 15, gapBefore: 14 },
    { text: 'The drone lowers the parcel onto a landing pad in your garden.', gapBefore: 6 },
  ],
];
const DRONE_QUESTION = 'How much does drone delivery cost?';
// The sentence of the PDF that answers what the question asks (the cost), not its introduction.
const DRONE_ANSWER = 'Drone delivery costs 4 euros and is available in Rotterdam.';

async function signInAsAdmin(page: Page) {
  await page.goto('/sign-in?callbackUrl=/admin/knowledge');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/admin\/knowledge$/);
}

async function tryQuestion(page: Page, question: string) {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/admin/kb/try'));
  await page.getByRole('textbox', { name: 'Question' }).fill(question);
  await page.getByRole('button', { name: 'Ask' }).click();
  await answered;
}

/** Asks in the customer widget, in a fresh conversation, and returns the answer. */
async function askCustomerBot(page: Page, question: string) {
  await page.goto('/widget');
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await page.getByRole('textbox', { name: 'Message' }).fill(question);
  await page.getByRole('button', { name: 'Send' }).click();
  await (await answered).finished();
  return page.locator('article[data-author="ai"]').last();
}

test('an admin uploads a PDF and a DOCX, tries a question, deletes one, and the bot stops citing it', async ({
  page,
  browser,
}) => {
  await signInAsAdmin(page);
  await expect(page.getByRole('heading', { name: 'Knowledge base', level: 1 })).toBeVisible();

  await page.getByLabel('Upload files').setInputFiles([
    {
      name: 'drone-delivery.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await buildPdf(dronePdfPages)),
    },
    {
      name: 'warranty.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: Buffer.from(await buildDocx()),
    },
  ]);
  const uploads = page.getByRole('list', { name: 'Uploads' });
  for (const name of ['drone-delivery.pdf', 'warranty.docx']) {
    const item = uploads.getByRole('listitem').filter({ hasText: name });
    await expect(item.getByTestId('upload-status')).toHaveText('Added');
    await expect(item.getByRole('progressbar', { name: `${name} progress` })).toHaveAttribute(
      'value',
      '100',
    );
  }
  const documents = page.getByRole('list', { name: 'Documents' });
  await expect(documents.getByRole('link', { name: 'Drone delivery' })).toBeVisible();
  await expect(documents.getByRole('link', { name: 'Warranty claims' })).toBeVisible();

  // A corrupt file fails on its own line, with the reason, and is not added.
  await page.getByLabel('Upload files').setInputFiles({
    name: 'broken.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.7\nnot really a PDF'),
  });
  const broken = uploads.getByRole('listitem').filter({ hasText: 'broken.pdf' });
  await expect(broken.getByTestId('upload-status')).toHaveText('Failed');
  await expect(broken).toContainText('broken.pdf could not be read as PDF');

  // "Try a question" shows the passage from the new Word document and the answer built on it.
  await tryQuestion(page, 'How do I file a warranty claim?');
  const passages = page.getByRole('list', { name: 'Passages retrieved' }).getByRole('listitem');
  await expect(passages.first()).toContainText('Warranty claims');
  await expect(passages.first()).toContainText('What the warranty covers › How to file a claim');
  await expect(passages.first()).toContainText(
    'Send the order number and a photo of the fault to support.',
  );
  await expect(passages.first()).toContainText(/score \d+\.\d{3}/);
  await expect(passages.first()).toContainText('used for the answer');
  const answer = page.getByRole('figure', { name: "The bot's answer" });
  await expect(answer).toContainText('Send the order number and a photo of the fault to support.');
  await expect(answer).toContainText('[1]');

  await tryQuestion(page, DRONE_QUESTION);
  await expect(passages.first()).toContainText('Drone delivery');
  await expect(answer).toContainText(DRONE_ANSWER);
  await expect(answer).toContainText('[1]');

  // Customers get the same answer, citing the PDF.
  const customer = await browser.newPage();
  const before = await askCustomerBot(customer, DRONE_QUESTION);
  await expect(before).toContainText(DRONE_ANSWER);
  await expect(
    before.getByRole('navigation', { name: 'Sources' }).getByRole('link').first(),
  ).toHaveText('Drone delivery');

  // Deleted, the document leaves the list, the retrieved passages and the customers' answers.
  await documents.getByRole('link', { name: 'Drone delivery' }).click();
  await expect(page.getByRole('heading', { name: 'Drone delivery', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Delete permanently' }).click();
  await page.waitForURL(/\/admin\/knowledge$/);
  await expect(documents.getByRole('link', { name: 'Warranty claims' })).toBeVisible();
  await expect(documents.getByRole('link', { name: 'Drone delivery' })).toHaveCount(0);

  await tryQuestion(page, DRONE_QUESTION);
  await expect(page.getByTestId('try-result')).toBeVisible();
  await expect(passages.filter({ hasText: 'Drone delivery' })).toHaveCount(0);
  await expect(answer).not.toContainText('4 euros');

  const after = await askCustomerBot(customer, DRONE_QUESTION);
  await expect(after).not.toContainText('4 euros');
  await expect(after.getByRole('link', { name: 'Drone delivery' })).toHaveCount(0);
  await customer.close();
});

test('an admin drops a Markdown file, then edits an article in place and re-indexes it', async ({
  page,
}) => {
  await signInAsAdmin(page);
  const documents = page.getByRole('list', { name: 'Documents' });

  await expect(documents.getByRole('listitem').first()).toBeVisible();
  // A real drop, as the browser delivers one: a DragEvent carrying the files.
  await page.getByRole('region', { name: 'Drop files here' }).evaluate((zone) => {
    const transfer = new DataTransfer();
    const text = '# Pickup lockers\n\nParcels wait in a pickup locker for seven days.';
    transfer.items.add(new File([text], 'pickup-lockers.md', { type: 'text/markdown' }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true }));
  });
  const upload = page
    .getByRole('list', { name: 'Uploads' })
    .getByRole('listitem')
    .filter({ hasText: 'pickup-lockers.md' });
  await expect(upload.getByTestId('upload-status')).toHaveText('Added');
  await expect(documents.getByRole('link', { name: 'Pickup lockers' })).toBeVisible();

  await page.getByRole('searchbox', { name: 'Search documents' }).fill('set up two-factor');
  await expect(documents.getByRole('listitem')).toHaveCount(1);
  await documents.getByRole('link', { name: 'Set up two-factor authentication' }).click();

  await page.getByRole('button', { name: 'Edit' }).click();
  const markdown = page.getByRole('textbox', { name: 'Markdown' });
  await markdown.fill(
    `${await markdown.inputValue()}\n\n## Lost your phone\n\nUse one of your ten backup codes printed on the lavender recovery card.`,
  );
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved and re-indexed.');

  await page.getByRole('button', { name: 'Re-index' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Re-indexed: passages and vectors were rebuilt.',
  );

  await page.goto('/admin/knowledge');
  await tryQuestion(page, 'Where is the lavender recovery card?');
  const first = page
    .getByRole('list', { name: 'Passages retrieved' })
    .getByRole('listitem')
    .first();
  await expect(first).toContainText('Set up two-factor authentication');
  await expect(first).toContainText('Lost your phone');
});
