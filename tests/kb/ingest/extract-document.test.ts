import { describe, expect, it } from 'vitest';
import { TandemError } from '@/lib/errors';
import { hashText } from '@/lib/kb/article';
import { chunkMarkdown } from '@/lib/kb/chunk';
import { detectFormat, extractDocument, slugify } from '@/lib/kb/extract';
import { buildDocx, buildPdf, helpPageHtml, refundPolicyPdfPages } from './sample-files';

const utf8 = (text: string) => new TextEncoder().encode(text);

async function extractionError(promise: Promise<unknown>): Promise<TandemError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TandemError);
  return error as TandemError;
}

describe('PDF', () => {
  it('takes the title from the document info and rebuilds paragraphs and headings', async () => {
    const bytes = await buildPdf(refundPolicyPdfPages, 'Refund Policy');
    const article = await extractDocument({
      filename: 'uploads/refund-policy.pdf',
      mediaType: 'application/pdf',
      bytes,
    });
    expect(article.title).toBe('Refund Policy');
    expect(article.slug).toBe('refund-policy');
    expect(article.sourceType).toBe('pdf');
    expect(article.origin).toBe('uploads/refund-policy.pdf');
    expect(article.body).toBe(
      [
        'Customers may request a refund within 30 days of delivery. Refunds go back to the original payment method.',
        '## How long refunds take',
        'Card refunds arrive within 5 to 10 business days.',
        'PayPal refunds usually arrive within 24 hours.',
        '## Exceptions',
        'Gift cards cannot be refunded.',
      ].join('\n\n'),
    );
    expect(article.contentHash).toBe(hashText(`${article.title}\n${article.body}`));
    expect(chunkMarkdown(article.body).map((chunk) => chunk.sectionPath)).toEqual([
      '',
      'How long refunds take',
      'Exceptions',
    ]);
  });

  it('falls back to the first line when the PDF has no title metadata', async () => {
    const article = await extractDocument({
      filename: 'policy.pdf',
      bytes: await buildPdf(refundPolicyPdfPages),
    });
    expect(article.title).toBe('Refund policy');
    expect(article.body.startsWith('Customers may request a refund')).toBe(true);
  });

  it('drops running headers and page numbers repeated on every page', async () => {
    const page = (n: number, text: string) => [
      { text: 'Parcelly Help Centre — internal' },
      { text, gapBefore: 12 },
      { text: `Page ${n} of 3`, gapBefore: 400 },
    ];
    const article = await extractDocument({
      filename: 'handbook.pdf',
      bytes: await buildPdf([
        page(1, 'Orders ship within two days.'),
        page(2, 'Returns are free for members.'),
        page(3, 'Support answers within one hour.'),
      ]),
    });
    expect(article.body).toBe(
      'Orders ship within two days.\n\nReturns are free for members.\n\nSupport answers within one hour.',
    );
  });

  it('reports a corrupt PDF clearly', async () => {
    const error = await extractionError(
      extractDocument({
        filename: 'broken.pdf',
        mediaType: 'application/pdf',
        bytes: utf8('%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage without xref or trailer'),
      }),
    );
    expect(error.code).toBe('bad_request:kb');
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'broken.pdf could not be read as PDF: the file is damaged or is not a PDF.',
    );
  });

  it('reports a file named .pdf that is not a PDF at all', async () => {
    const error = await extractionError(
      extractDocument({ filename: 'notes.pdf', bytes: utf8('just some text, renamed') }),
    );
    expect(error.message).toBe(
      'notes.pdf could not be read as PDF: the file is damaged or is not a PDF.',
    );
  });

  it('reports a truncated PDF', async () => {
    const bytes = await buildPdf(refundPolicyPdfPages, 'Refund Policy');
    const error = await extractionError(
      extractDocument({ filename: 'cut.pdf', bytes: bytes.subarray(0, 400) }),
    );
    expect(error.code).toBe('bad_request:kb');
    expect(error.message).toMatch(/^cut\.pdf could not be read as PDF: /);
  });
});

describe('DOCX', () => {
  it('takes the Title paragraph as title and keeps headings, lists and text', async () => {
    const article = await extractDocument({
      filename: 'Warranty.docx',
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      bytes: await buildDocx(),
    });
    expect(article.title).toBe('Warranty claims');
    expect(article.slug).toBe('warranty-claims');
    expect(article.sourceType).toBe('docx');
    expect(article.body).toBe(
      [
        'Every Parcelly device carries a two-year warranty from the date of purchase.',
        '## What the warranty covers',
        'Manufacturing defects and battery failures are covered.',
        '- Water damage\n- Cracked screens',
        '### How to file a claim',
        'Send the order number and a photo of the fault to support.',
      ].join('\n\n'),
    );
    expect(chunkMarkdown(article.body).map((chunk) => chunk.sectionPath)).toEqual([
      '',
      'What the warranty covers',
      'What the warranty covers › How to file a claim',
    ]);
  });

  it('is recognised by its bytes even when uploaded without a type or extension', async () => {
    const bytes = await buildDocx();
    expect(detectFormat({ filename: 'upload', mediaType: 'application/octet-stream', bytes })).toBe(
      'docx',
    );
  });

  it('reports a corrupt DOCX clearly', async () => {
    const error = await extractionError(
      extractDocument({
        filename: 'C:\\Users\\sam\\Desktop\\broken.docx',
        bytes: utf8('PK\u0003\u0004 this is not really a zip archive'),
      }),
    );
    expect(error.code).toBe('bad_request:kb');
    expect(error.message).toBe(
      'broken.docx could not be read as a Word document (DOCX): the file is damaged or is not a .docx file. Older .doc files must be saved as .docx first.',
    );
  });

  it('reports a truncated DOCX clearly', async () => {
    const bytes = await buildDocx();
    const error = await extractionError(
      extractDocument({ filename: 'cut.docx', bytes: bytes.subarray(0, bytes.length / 2) }),
    );
    expect(error.code).toBe('bad_request:kb');
    expect(error.message).toMatch(/^cut\.docx could not be read as a Word document \(DOCX\)/);
  });
});

describe('HTML', () => {
  it('keeps the article and drops navigation, sidebar and footer', async () => {
    const article = await extractDocument({
      filename: 'returns.html',
      mediaType: 'text/html',
      bytes: utf8(helpPageHtml),
    });
    expect(article.title).toBe('Returns and refunds');
    expect(article.language).toBe('en');
    expect(article.sourceType).toBe('html');
    expect(article.body).toContain(
      'You can return most items within 30 days of delivery for a full refund.',
    );
    expect(article.body).toContain('## How long refunds take');
    expect(article.body).toContain('### Items that cannot be returned');
    expect(article.body).toContain('- Gift cards cannot be refunded.');
    expect(article.body).toContain('| Plus | 60 days');
    for (const noise of [
      'Sign in to your account',
      'Popular articles',
      'All rights reserved',
      'Cookie settings',
    ]) {
      expect(article.body).not.toContain(noise);
    }
    expect(article.body).not.toMatch(/^# /m);
  });

  it('drops chrome on short pages too and makes links absolute for fetched pages', async () => {
    const html =
      '<html><head><title>Contact us</title></head><body><header><a href="/">Parcelly</a></header><nav><a href="/">Home</a> <a href="/help">Help</a></nav><main><p>Call us on 555-0100 or read about <a href="/help/returns">returns</a>.</p></main><footer>© Parcelly</footer></body></html>';
    const article = await extractDocument({
      filename: 'https://help.parcelly.example/contact',
      mediaType: 'text/html',
      bytes: utf8(html),
    });
    expect(article.title).toBe('Contact us');
    expect(article.body).toBe(
      'Call us on 555-0100 or read about [returns](https://help.parcelly.example/help/returns).',
    );
  });

  it('honours a charset declared only in a meta tag', async () => {
    const latin1 = Buffer.from(
      '<html><head><meta charset="iso-8859-1"><title>Café opening hours</title></head><body><p>The café opens at nine every morning, including public holidays in summer.</p></body></html>',
      'latin1',
    );
    const article = await extractDocument({
      filename: 'cafe.html',
      mediaType: 'text/html',
      bytes: new Uint8Array(latin1),
    });
    expect(article.title).toBe('Café opening hours');
    expect(article.slug).toBe('cafe-opening-hours');
    expect(article.body).toContain('The café opens at nine');
  });
});

describe('Markdown', () => {
  it('reads front matter for title, slug, category and language', async () => {
    const source = [
      '---',
      'title: Change your delivery address',
      'slug: change-delivery-address',
      'category: delivery',
      'language: en-US',
      'updated: 2026-09-01',
      '---',
      '',
      'You can change the address until the parcel ships.',
      '',
      '## After shipping',
      '',
      'Contact the carrier with your tracking number.',
    ].join('\n');
    const article = await extractDocument({ filename: 'address.md', bytes: utf8(source) });
    expect(article).toMatchObject({
      title: 'Change your delivery address',
      slug: 'change-delivery-address',
      category: 'delivery',
      language: 'en',
      sourceType: 'markdown',
      origin: 'address.md',
      body: 'You can change the address until the parcel ships.\n\n## After shipping\n\nContact the carrier with your tracking number.',
    });
    expect(article.updated?.toISOString().slice(0, 10)).toBe('2026-09-01');
  });

  it('takes the first # heading as title when there is no front matter', async () => {
    const source =
      '```sh\n# not the title\n```\n\n# Reset your **password**\n\nUse the link on the sign-in page.\n\n# Still locked out\n\nWrite to us.';
    const article = await extractDocument({
      filename: 'reset.markdown',
      mediaType: 'text/plain',
      bytes: utf8(source),
    });
    expect(article.title).toBe('Reset your password');
    expect(article.slug).toBe('reset-your-password');
    expect(article.body).toBe(
      '```sh\n# not the title\n```\n\n## Reset your **password**\n\nUse the link on the sign-in page.\n\n## Still locked out\n\nWrite to us.',
    );
  });

  it('falls back to the file name for the title', async () => {
    const article = await extractDocument({
      filename: 'shipping_rates-2026.md',
      bytes: utf8('Standard shipping is free over 50 euros.'),
    });
    expect(article.title).toBe('Shipping rates 2026');
    expect(article.slug).toBe('shipping-rates-2026');
  });

  it('reports broken front matter', async () => {
    const error = await extractionError(
      extractDocument({ filename: 'bad.md', bytes: utf8('---\ntitle: [unclosed\n---\nBody') }),
    );
    expect(error.code).toBe('bad_request:kb');
    expect(error.message).toMatch(
      /^bad\.md could not be read as Markdown: its front matter is not valid YAML/,
    );
  });
});

describe('plain text', () => {
  it('uses a short first line as title and keeps paragraphs', async () => {
    const source =
      'Store opening hours\r\n\r\nWe are open 9 to 5 on weekdays.\r\n\r\n# of staff on duty varies by season.';
    const article = await extractDocument({
      filename: 'hours.txt',
      mediaType: 'text/plain; charset=utf-8',
      bytes: utf8(source),
    });
    expect(article.title).toBe('Store opening hours');
    expect(article.sourceType).toBe('text');
    expect(article.body).toBe(
      'We are open 9 to 5 on weekdays.\n\n\\# of staff on duty varies by season.',
    );
    // The escaped line stays body text instead of becoming a section.
    expect(chunkMarkdown(article.body)).toHaveLength(1);
  });

  it('uses the file name when the text starts with a sentence', async () => {
    const article = await extractDocument({
      filename: 'faq.txt',
      bytes: utf8('Orders placed before noon ship the same day.\nWeekend orders ship on Monday.'),
    });
    expect(article.title).toBe('Faq');
    expect(article.body).toBe(
      'Orders placed before noon ship the same day.\nWeekend orders ship on Monday.',
    );
  });

  it('decodes UTF-16 text with a byte-order mark', async () => {
    const text = 'Délais de livraison\n\nLa livraison prend deux jours.';
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    const article = await extractDocument({ filename: 'livraison', bytes });
    expect(article.title).toBe('Délais de livraison');
    expect(article.slug).toBe('delais-de-livraison');
  });
});

describe('format detection and refusals', () => {
  it('sniffs HTML and text when nothing is declared', () => {
    expect(detectFormat({ filename: 'page', bytes: utf8('<!DOCTYPE html><p>x</p>') })).toBe('html');
    expect(detectFormat({ filename: 'notes', bytes: utf8('hello') })).toBe('text');
  });

  it('refuses an empty file', async () => {
    const error = await extractionError(
      extractDocument({ filename: 'empty.pdf', bytes: new Uint8Array() }),
    );
    expect(error.code).toBe('bad_request:kb');
    expect(error.message).toBe('empty.pdf is empty.');
  });

  it('refuses a document with no text', async () => {
    const error = await extractionError(
      extractDocument({ filename: 'blank.md', bytes: utf8('---\ntitle: Blank\n---\n\n   \n') }),
    );
    expect(error.code).toBe('bad_request:kb');
    expect(error.message).toBe('blank.md has no readable text to add to the knowledge base.');
  });

  it('refuses unsupported types with 415', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const image = await extractionError(
      extractDocument({ filename: 'screenshot.png', mediaType: 'image/png', bytes: png }),
    );
    expect(image.code).toBe('unsupported_media_type:kb');
    expect(image.status).toBe(415);
    expect(image.message).toBe(
      'screenshot.png is not supported: images cannot be added to the knowledge base.',
    );

    const legacyWord = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]);
    const doc = await extractionError(extractDocument({ filename: 'old.doc', bytes: legacyWord }));
    expect(doc.code).toBe('unsupported_media_type:kb');
    expect(doc.message).toContain('save it as .docx');

    const binary = await extractionError(
      extractDocument({
        filename: 'data.bin',
        mediaType: 'application/octet-stream',
        bytes: new Uint8Array([0, 1, 2, 3, 0, 255]),
      }),
    );
    expect(binary.code).toBe('unsupported_media_type:kb');
    expect(binary.message).toBe(
      'data.bin is not a supported document (application/octet-stream). Upload Markdown, plain text, HTML, PDF or DOCX.',
    );
  });
});

describe('slugify', () => {
  it('makes kebab-case ASCII slugs', () => {
    expect(slugify('  Où est mon colis ?  ')).toBe('ou-est-mon-colis');
    expect(slugify('Plans & Pricing (2026)')).toBe('plans-pricing-2026');
    expect(slugify('!!!')).toBe('document');
    const long = slugify('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});
