const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Whether a grapheme boundary at index p depends only on the text before p and the character
 * starting at p (UAX #29), so segmenting a prefix a little longer than the limit finds the same
 * boundaries as segmenting the whole text; the margin covers a surrogate pair after the limit.
 */
const LOOKAHEAD = 4;

/**
 * `text` shortened to at most `maxChars` UTF-16 code units (the unit of `String.length` and of
 * zod's `.max()`), ellipsis included, cut only between grapheme clusters: never inside a
 * surrogate pair, a flag, a ZWJ family or a letter with its combining accents. Text that fits is
 * returned unchanged. Pass `''` as the ellipsis for a plain cut (log excerpts, stored snippets);
 * a limit too small for the ellipsis gets a plain cut too.
 */
export function truncateText(text: string, maxChars: number, ellipsis = '…'): string {
  if (text.length <= maxChars) return text;
  if (ellipsis.length > maxChars) return truncateText(text, maxChars, '');
  const room = maxChars - ellipsis.length;
  let end = 0;
  for (const { index, segment } of graphemes.segment(text.slice(0, maxChars + LOOKAHEAD))) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  const kept = text.slice(0, end);
  return ellipsis ? `${kept.trimEnd()}${ellipsis}` : kept;
}
