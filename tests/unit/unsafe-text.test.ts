import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TandemError } from '@/lib/errors';
import {
  findUnsafeText,
  MAX_DEPTH,
  refuseUnsafeText,
  unsafeTextReason,
} from '@/lib/text/unsafe-text';

const HIGH = '\uD83D'; // first half of 😀
const LOW = '\uDE00'; // second half

describe('unsafeTextReason', () => {
  it('passes ordinary text, emoji, flags and families whole', () => {
    for (const text of ['', 'hello', '😀', '🇸🇬', '👨‍👩‍👧', 'é', '中文', `a${HIGH}${LOW}b`]) {
      expect(unsafeTextReason(text)).toBeNull();
    }
  });

  it('names U+0000 anywhere in the text', () => {
    for (const text of ['\u0000', 'a\u0000', '\u0000b', 'x\u0000y']) {
      expect(unsafeTextReason(text)).toContain('U+0000');
    }
  });

  it('names a lone surrogate: half an emoji, at the start, the end or between letters', () => {
    for (const text of [
      HIGH,
      LOW,
      `a${HIGH}`,
      `${LOW}b`,
      `${LOW}${HIGH}`,
      `😀${HIGH}`,
      `a${HIGH}b`,
    ]) {
      expect(unsafeTextReason(text)).toContain('lone UTF-16 surrogate');
    }
  });
});

describe('findUnsafeText', () => {
  it('names each bad string by its dotted path, at any depth, keys included', () => {
    const problems = findUnsafeText({
      message: { parts: [{ text: 'ok' }, { text: `bad${HIGH}` }] },
      context: { 'plan\u0000': 'x', nested: { deeper: ['fine', 'nul\u0000'] } },
      fine: 'text 😀',
      count: 3,
    });
    expect(problems.map((p) => p.field).sort()).toEqual([
      'context.nested.deeper.1',
      'context.plan\uFFFD',
      'message.parts.1.text',
    ]);
    expect(problems.find((p) => p.field === 'context.plan\uFFFD')?.message).toMatch(/^\(key\)/);
  });

  it('names the body itself when it is a bad string', () => {
    expect(findUnsafeText('\u0000')).toEqual([{ field: '(body)', message: expect.any(String) }]);
  });

  it('refuses nesting deeper than MAX_DEPTH without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const problems = findUnsafeText({ deep });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe(`nests deeper than ${MAX_DEPTH} levels`);
    let fine: unknown = 'leaf';
    for (let i = 0; i < MAX_DEPTH - 1; i++) fine = [fine];
    expect(findUnsafeText(fine)).toEqual([]);
  });
});

describe('refuseUnsafeText', () => {
  it('throws a 400 bad_request:<surface> listing the fields, like a schema failure', () => {
    let error: unknown;
    try {
      refuseUnsafeText({ title: 'a\u0000' }, 'canned_response');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TandemError);
    const { code, status, details, message } = error as TandemError;
    expect({ code, status }).toEqual({ code: 'bad_request:canned_response', status: 400 });
    expect(details).toEqual({
      fields: [{ field: 'title', message: 'must not contain the NUL character (U+0000)' }],
    });
    expect(message).toBe('Invalid request. title: must not contain the NUL character (U+0000)');
  });

  it('lets clean values through untouched', () => {
    expect(() => refuseUnsafeText({ a: ['😀', { b: 'c' }], n: null }, 'x')).not.toThrow();
    expect(z.object({ a: z.string() }).parse({ a: '😀' })).toEqual({ a: '😀' });
  });
});
