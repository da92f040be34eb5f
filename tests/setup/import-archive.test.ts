import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { TandemError } from '@/lib/errors';
import { MAX_ARCHIVE_FILES, parseSitemap, readArchive } from '@/lib/kb/import-archive';

const limits = { maxFileBytes: 1024, maxTotalBytes: 4096 };

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof TandemError) return error.code;
    throw error;
  }
  throw new Error('expected a TandemError');
}

describe('readArchive', () => {
  it('keeps the documents, in name order, and skips folders, hidden files and other files', () => {
    const zip = zipSync({
      'help/b-shipping.html': strToU8('<h1>Shipping</h1><p>We ship daily.</p>'),
      'help/a-returns.md': strToU8('# Returns\n\nWithin 30 days.'),
      'help/images/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
      'help/.DS_Store': strToU8('x'),
      '__MACOSX/help/._a-returns.md': strToU8('x'),
      'help/empty/': new Uint8Array(),
    });
    const { files, skipped } = readArchive(zip, limits);
    expect(files.map((f) => f.filename)).toEqual(['help/a-returns.md', 'help/b-shipping.html']);
    expect(new TextDecoder().decode(files[0]!.bytes)).toBe('# Returns\n\nWithin 30 days.');
    expect(skipped.sort()).toEqual([
      '__MACOSX/help/._a-returns.md',
      'help/.DS_Store',
      'help/images/logo.png',
    ]);
  });

  it('refuses what is not a zip, a zip without documents, and one that is too large', () => {
    expect(codeOf(() => readArchive(strToU8('# Not a zip'), limits))).toBe(
      'unsupported_media_type:kb',
    );
    expect(codeOf(() => readArchive(zipSync({ 'a.png': new Uint8Array([1, 2]) }), limits))).toBe(
      'bad_request:kb',
    );
    // Compresses to almost nothing, as a zip bomb does; refused by its uncompressed size.
    const big = strToU8('a'.repeat(2048));
    expect(codeOf(() => readArchive(zipSync({ 'big.md': big }), limits))).toBe(
      'payload_too_large:kb',
    );
    const many = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`page-${i}.md`, strToU8('a'.repeat(1000))]),
    );
    expect(codeOf(() => readArchive(zipSync(many), limits))).toBe('payload_too_large:kb');
    const tooMany = Object.fromEntries(
      Array.from({ length: MAX_ARCHIVE_FILES + 1 }, (_, i) => [`p${i}.md`, strToU8('x')]),
    );
    expect(
      codeOf(() => readArchive(zipSync(tooMany), { maxFileBytes: 10, maxTotalBytes: 1e6 })),
    ).toBe('payload_too_large:kb');
    expect(codeOf(() => readArchive(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]), limits))).toBe(
      'bad_request:kb',
    );
  });
});

describe('parseSitemap', () => {
  it('reads the pages of a sitemap and the sitemaps of an index', () => {
    expect(
      parseSitemap(`<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://help.example.com/a?x=1&amp;y=2</loc><lastmod>2026-01-01</lastmod></url>
  <url><loc> https://help.example.com/b </loc></url>
  <url><loc>https://help.example.com/b</loc></url>
  <url><loc>ftp://help.example.com/c</loc></url>
</urlset>`),
    ).toEqual({
      pages: ['https://help.example.com/a?x=1&y=2', 'https://help.example.com/b'],
      sitemaps: [],
    });
    expect(
      parseSitemap(
        '<sitemapindex><sitemap><loc>https://help.example.com/s1.xml</loc></sitemap></sitemapindex>',
      ),
    ).toEqual({ pages: [], sitemaps: ['https://help.example.com/s1.xml'] });
  });
});
