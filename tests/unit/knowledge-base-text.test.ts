import { describe, expect, it } from 'vitest';
import { parseArticle } from '@/lib/kb/article';
import { chunkMarkdown } from '@/lib/kb/chunk';
import { toTerms } from '@/lib/text/terms';

describe('terms', () => {
  it('drops function words and stems English', () => {
    expect(toTerms("How do I reset my passwords? I've been locked out")).toEqual([
      'reset',
      'password',
      'lock',
    ]);
  });

  it('splits Chinese into overlapping bigrams', () => {
    expect(toTerms('密码还是不行')).toEqual(['密码', '码还', '还是', '是不', '不行']);
    // Other forms of stopword verbs carry no topic either.
    expect(toTerms('Thanks, that helped! I needed it')).toEqual([]);
    // "What's" is "what": it must not match a heading such as "What's on your invoice".
    expect(toTerms("What's your phone number?")).toEqual(['phone', 'number']);
  });
});

describe('chunking', () => {
  it('cuts at headings and keeps the heading trail', () => {
    const chunks = chunkMarkdown(
      'Intro text.\n\n## Refunds\n\nBody A.\n\n### Timing\n\nBody B.\n\n## Returns\n\nBody C.',
    );
    expect(chunks).toEqual([
      { sectionPath: '', content: 'Intro text.' },
      { sectionPath: 'Refunds', content: 'Body A.' },
      { sectionPath: 'Refunds › Timing', content: 'Body B.' },
      { sectionPath: 'Returns', content: 'Body C.' },
    ]);
  });

  it('does not treat # inside code fences as headings', () => {
    const chunks = chunkMarkdown('## Setup\n\n```\n# not a heading\n```');
    expect(chunks).toEqual([{ sectionPath: 'Setup', content: '```\n# not a heading\n```' }]);
  });

  it('splits long sections at paragraphs with overlap', () => {
    const paragraph = (n: number) => `Paragraph ${n} ${'word '.repeat(30).trim()}.`;
    const text = `## Long\n\n${[1, 2, 3, 4].map(paragraph).join('\n\n')}`;
    const chunks = chunkMarkdown(text, { maxChars: 400, overlapChars: 40 });
    expect(chunks.length).toBe(2);
    expect(chunks[0]!.content.startsWith('Paragraph 1')).toBe(true);
    expect(chunks[1]!.content).toContain('Paragraph 3');
    // the second piece repeats the end of the first
    expect(chunks[1]!.content.startsWith('word word')).toBe(true);
    expect(chunks.every((c) => c.sectionPath === 'Long')).toBe(true);
  });

  it('repeats whole table rows under the table header at the start of the next piece', () => {
    const rows = Array.from({ length: 8 }, (_, i) => `| Plan ${i} | S$${i}0 | ${i}% off |`);
    const table = ['| Plan | Price | Discount |', '| --- | --- | --- |', ...rows].join('\n');
    const note = `Prices include GST ${'and more '.repeat(12).trim()}.`;
    const chunks = chunkMarkdown(`## Plans\n\n${table}\n\n${note}`, {
      maxChars: 300,
      overlapChars: 60,
    });
    expect(chunks.length).toBe(2);
    const next = chunks[1]!.content;
    // The header, then whole rows (never half a row), then what follows the table.
    expect(next).toMatch(
      /^\| Plan \| Price \| Discount \|\n\| --- \| --- \| --- \|\n(?:\| Plan \d .*\|\n)+\n/,
    );
    expect(next).toContain('| Plan 7 | S$70 | 7% off |');
    for (const line of next.split('\n').filter((l) => l.startsWith('|'))) {
      expect(line).toMatch(/^\|.*\|$/);
    }
    expect(next.endsWith(note)).toBe(true);
  });
});

describe('articles', () => {
  it('reads front matter and hashes content', () => {
    const article = parseArticle(
      '---\ntitle: Hello\nslug: hello-world\nupdated: 2026-10-02\n---\n\nBody',
    );
    expect(article).toMatchObject({
      title: 'Hello',
      slug: 'hello-world',
      language: 'en',
      body: 'Body',
    });
    expect(article.updated?.toISOString()).toBe('2026-10-02T00:00:00.000Z');
    expect(article.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses bad front matter with the field named', () => {
    expect(() => parseArticle('---\ntitle: Hello\nslug: Not A Slug\n---\nBody', 'x.md')).toThrow(
      /x\.md has invalid front matter: slug: must be kebab-case/,
    );
  });
});
