import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { truncateText } from '@/lib/text/truncate';

/** No lone UTF-16 surrogate (String.prototype.isWellFormed, which ES2023 typings lack). */
const isWellFormed = (text: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemesOf = (text: string) => [...segmenter.segment(text)].map((s) => s.segment);

/** The cut keeps whole leading graphemes of `text`, as many as fit in `maxChars` with the ellipsis. */
function expectGraphemeSafeCut(text: string, maxChars: number, asked: string) {
  const result = truncateText(text, maxChars, asked);
  const ellipsis = asked.length <= maxChars ? asked : '';
  expect(result.length).toBeLessThanOrEqual(maxChars);
  expect(isWellFormed(result)).toBe(true);
  if (text.length <= maxChars) {
    expect(result).toBe(text);
    return;
  }
  expect(result.endsWith(ellipsis)).toBe(true);
  const kept = result.slice(0, result.length - ellipsis.length);
  const all = graphemesOf(text);
  let count = 0;
  let length = 0;
  // `kept` is the first `count` graphemes, with trailing spaces trimmed when there is an ellipsis.
  while (count < all.length && length + all[count]!.length <= maxChars - ellipsis.length) {
    length += all[count]!.length;
    count += 1;
  }
  const whole = all.slice(0, count).join('');
  expect(kept).toBe(ellipsis ? whole.trimEnd() : whole);
}

const FAMILY = '👨‍👩‍👧‍👦';
const SAMPLES: Record<string, string> = {
  'an emoji (surrogate pair)': '😀',
  'a ZWJ family': FAMILY,
  'a flag': '🇫🇷',
  'two flags': '🇫🇷🇩🇪',
  'a thumbs-up with a skin tone': '👍🏽',
  'a keycap': '1️⃣',
  'a letter with a combining accent': 'e\u0301',
  'a letter with three combining marks': 'a\u0301\u0323\u0308',
  'a Hangul syllable in jamo': '\u1112\u1161\u11ab',
  'CJK (outside the BMP)': '𠀀',
  CJK: '中文',
};

describe('truncateText', () => {
  it('returns text that fits unchanged, however it ends', () => {
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('exactly10!', 10)).toBe('exactly10!');
    expect(truncateText(`${'a'.repeat(118)}😀`, 120)).toBe(`${'a'.repeat(118)}😀`);
    expect(truncateText('', 0)).toBe('');
  });

  it('cuts at the limit with an ellipsis counted in it, trimming the space before the ellipsis', () => {
    expect(truncateText('hello world, how are you', 12)).toBe('hello world…');
    expect(truncateText('hello world, how are you', 7)).toBe('hello…');
    expect(truncateText('hello world', 8, '')).toBe('hello wo');
    expect(truncateText('hello world', 8, '...')).toBe('hello...');
  });

  for (const [name, sample] of Object.entries(SAMPLES)) {
    it(`never splits ${name}, at any offset around the cut`, () => {
      for (const maxChars of [1, 2, 5, 80, 100, 120]) {
        for (let offset = Math.max(0, maxChars - 14); offset <= maxChars + 2; offset++) {
          const text = `${'a'.repeat(offset)}${sample}${'b'.repeat(30)}`;
          for (const ellipsis of ['…', '', '...']) expectGraphemeSafeCut(text, maxChars, ellipsis);
        }
      }
    });
  }

  it('keeps the emoji that straddles index 119 out of a 120-character summary, whole', () => {
    const text = `${'x'.repeat(119)}😀 and then some more words`;
    expect(text.charCodeAt(119)).toBe(0xd83d);
    const summary = truncateText(text, 120);
    expect(summary).toBe(`${'x'.repeat(119)}…`);
    expect(isWellFormed(summary)).toBe(true);
    expect(truncateText(`${'x'.repeat(118)}😀😀 tail`, 120)).toBe(`${'x'.repeat(118)}…`);
    expect(truncateText(`${'x'.repeat(117)}😀😀 tail`, 120)).toBe(`${'x'.repeat(117)}😀…`);
  });

  it('drops a family emoji whole rather than leaving some of its people', () => {
    const text = `Hi ${FAMILY} there`;
    for (let maxChars = 4; maxChars < 3 + FAMILY.length; maxChars++) {
      expect(truncateText(text, maxChars, '')).toBe('Hi ');
      expect(truncateText(text, maxChars)).toBe('Hi…');
    }
    expect(truncateText(text, 3 + FAMILY.length, '')).toBe(`Hi ${FAMILY}`);
  });

  it('keeps a flag whole, never turning 🇫🇷 into a lone regional indicator', () => {
    expect(truncateText('🇫🇷🇩🇪🇮🇹', 6, '')).toBe('🇫🇷');
    expect(truncateText('🇫🇷🇩🇪🇮🇹', 9, '')).toBe('🇫🇷🇩🇪');
    expect(truncateText('🇫🇷🇩🇪🇮🇹', 9)).toBe('🇫🇷🇩🇪…');
  });

  it('keeps combining accents with their letter', () => {
    expect(truncateText('cafe\u0301 au lait', 4, '')).toBe('caf');
    expect(truncateText('cafe\u0301 au lait', 5, '')).toBe('cafe\u0301');
  });

  it('counts CJK characters as the single code units they are', () => {
    expect(truncateText('我的包裹还没有到，已经等了两个星期了', 8)).toBe('我的包裹还没有…');
  });

  it('gives up to nothing when even the first grapheme does not fit', () => {
    expect(truncateText(`${FAMILY}!`, 5, '')).toBe('');
    expect(truncateText(`${FAMILY}!`, 5)).toBe('…');
    expect(truncateText('abc', 0)).toBe('');
    expect(truncateText('abcdef', 2, '...')).toBe('ab');
  });

  it('only looks at the start of a very long text', () => {
    const long = `${'😀'.repeat(60)}${'z'.repeat(5_000_000)}`;
    expect(truncateText(long, 120, '')).toBe('😀'.repeat(60));
  });

  it('holds for any text and limit (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.nat({ max: 200 }),
        fc.constantFrom('…', '', '...'),
        (text, maxChars, ellipsis) => expectGraphemeSafeCut(text, maxChars, ellipsis),
      ),
      { seed: 12, numRuns: 500 },
    );
  });
});
