import { describe, expect, it } from 'vitest';
import {
  ATTACHMENT_MEDIA_TYPES,
  attachmentMediaType,
  findAttachmentProblem,
  formatBytes,
  maxChatBodyBytes,
} from '@/lib/conversations/attachment-rules';
import { checkAttachments, prepareAttachments } from '@/lib/conversations/attachments';
import { TandemError } from '@/lib/errors';
import { extractDocument } from '@/lib/kb/extract';

const MB = 1024 * 1024;
const file = (filename: string, mediaType: string, bytes: Buffer | string) => ({
  filename,
  mediaType,
  bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
});

function refusal(run: () => unknown): TandemError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TandemError);
    return error as TandemError;
  }
  throw new Error('expected a refusal');
}

describe('the attachment rules', () => {
  it('refuses a file over the limit with 413, naming its size and the limit', () => {
    const error = refusal(() =>
      checkAttachments([file('statement.pdf', 'application/pdf', Buffer.alloc(12 * MB))], {
        maxBytes: 5 * MB,
      }),
    );
    expect(error.status).toBe(413);
    expect(error.code).toBe('payload_too_large:attachment');
    expect(error.message).toBe('statement.pdf is 12 MB; a file can be at most 5 MB.');
    expect(error.details).toEqual({ maxBytes: 5 * MB });
  });

  it('refuses a type it does not take with 415, naming the accepted types', () => {
    const error = refusal(() =>
      checkAttachments([file('setup.exe', 'application/x-msdownload', 'MZ')], { maxBytes: MB }),
    );
    expect(error.status).toBe(415);
    expect(error.code).toBe('unsupported_media_type:attachment');
    expect(error.message).toBe(
      'setup.exe (application/x-msdownload) cannot be attached. Attach PDF, Word (.docx), text, Markdown, HTML, PNG, JPEG, GIF or WebP.',
    );
    expect(error.details).toEqual({ accepted: ATTACHMENT_MEDIA_TYPES });
  });

  it('takes a file the browser sent without a type by its extension', () => {
    expect(attachmentMediaType('notes.md', '')).toBe('text/markdown');
    expect(attachmentMediaType('notes.md', 'application/octet-stream')).toBe('text/markdown');
    expect(attachmentMediaType('page.htm', 'text/x-server-parsed-html')).toBe('text/html');
    expect(attachmentMediaType('photo.JPG', '')).toBe('image/jpeg');
    expect(attachmentMediaType('scan.pdf', 'application/pdf; name=scan.pdf')).toBe(
      'application/pdf',
    );
    expect(attachmentMediaType('tool.exe', '')).toBe('application/octet-stream');
    // A declared type we take is never overridden by the name.
    expect(attachmentMediaType('photo.png', 'image/webp')).toBe('image/webp');
    const [checked] = checkAttachments([file('notes.md', '', '# Notes')], { maxBytes: MB });
    expect(checked!.mediaType).toBe('text/markdown');
  });

  it('counts files per message', () => {
    const four = Array.from({ length: 4 }, (_, i) => ({
      filename: `f${i}.txt`,
      mediaType: 'text/plain',
      size: 1,
    }));
    expect(findAttachmentProblem(four, { maxBytes: MB })).toEqual({
      kind: 'too_many',
      maxFiles: 3,
    });
    expect(findAttachmentProblem(four.slice(0, 3), { maxBytes: MB })).toBeNull();
  });

  it('sizes as people read them, and a chat body with room for three files in base64', () => {
    expect(formatBytes(5 * MB)).toBe('5 MB');
    expect(formatBytes(1.5 * MB)).toBe('1.5 MB');
    expect(formatBytes(12.4 * MB)).toBe('12 MB');
    expect(formatBytes(6 * MB + 9)).toBe('6 MB');
    expect(formatBytes(300 * 1024)).toBe('300 KB');
    const body = maxChatBodyBytes({ maxMessageChars: 4000, maxAttachmentBytes: 5 * MB });
    expect(body).toBeGreaterThan(Math.ceil((3 * 5 * MB * 4) / 3));
  });
});

describe('reading attached files', () => {
  it('accepts a one-line text file, whose line is its text', async () => {
    const [note] = await prepareAttachments([file('order.txt', 'text/plain', 'Order 4471')], {
      maxBytes: MB,
    });
    expect(note!.extractedText).toContain('Order 4471');
  });

  it('keeps a page of garbage markup without failing, with whatever text it has', async () => {
    const pages = [
      '<<html>><<<body <script>x</script></ <p',
      'just words, no tags at all',
      '<script>alert(1)</script>',
      '<p>a\u0000b &#xD800; c</p>',
    ];
    for (const page of pages) {
      const [prepared] = await prepareAttachments([file('page.html', 'text/html', page)], {
        maxBytes: MB,
      });
      expect(prepared!.filename).toBe('page.html');
      // What is kept can be stored: no NUL, no lone surrogate.
      expect(prepared!.extractedText ?? '').not.toContain('\u0000');
      expect(prepared!.extractedText ?? '').not.toMatch(/\p{Cs}/u);
    }
    const [words] = await prepareAttachments(
      [file('page.html', 'text/html', 'just words, no tags at all')],
      { maxBytes: MB },
    );
    expect(words!.extractedText).toContain('just words, no tags at all');
  });

  it('keeps a file with no readable text for the team instead of refusing it', async () => {
    const [blank] = await prepareAttachments([file('blank.html', 'text/html', '<html></html>')], {
      maxBytes: MB,
    });
    expect(blank!.extractedText).toBeNull();
  });

  it('still refuses a damaged document, in attachment terms', async () => {
    await expect(
      prepareAttachments([file('receipt.pdf', 'application/pdf', 'not a pdf')], { maxBytes: MB }),
    ).rejects.toMatchObject({
      code: 'bad_request:attachment',
      message: expect.stringMatching(/^receipt\.pdf could not be read as PDF/),
    });
  });

  it('leaves the knowledge base its own wording and accepts a one-line text there too', async () => {
    await expect(
      extractDocument({ filename: 'blank.md', bytes: new TextEncoder().encode('\n \n') }),
    ).rejects.toMatchObject({
      code: 'bad_request:kb',
      message: 'blank.md has no readable text to add to the knowledge base.',
    });
    const article = await extractDocument({
      filename: 'opening-hours.txt',
      bytes: new TextEncoder().encode('Open Monday to Friday'),
    });
    expect(article.title).toBe('Opening hours');
    expect(article.body).toBe('Open Monday to Friday');
  });
});
