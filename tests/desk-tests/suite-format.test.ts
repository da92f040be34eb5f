import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCasesJsonl, parseCasesJsonl } from '@/lib/desk-tests/jsonl';
import { TandemError } from '@/lib/errors';

const fixture = path.join(__dirname, 'fixtures', 'small-suite.jsonl');

/** The problems a bad suite is refused with, as `field: message`. */
function problems(source: string): string[] {
  try {
    parseCasesJsonl(source);
  } catch (error) {
    expect(error).toBeInstanceOf(TandemError);
    expect((error as TandemError).code).toBe('bad_request:desk_tests');
    const { fields } = (error as TandemError).details as {
      fields: { field: string; message: string }[];
    };
    return fields.map((f) => `${f.field}: ${f.message}`);
  }
  throw new Error('the suite was accepted');
}

const line = (value: object) => JSON.stringify(value);
const valid = { id: 'ok', turns: ['Hello'], expect: { kind: 'smalltalk' } };

describe('a desk test suite in JSON Lines', () => {
  it('reads one case per line, filling in what a case may leave out', () => {
    const [first, second] = parseCasesJsonl(
      `${line(valid)}\n\n${line({
        id: 'tool',
        customer: 'demo-alice',
        turns: ['What plan am I on?', 'And when does it renew?'],
        expect: { kind: 'tool', tool: { name: 'lookup_account' }, facts: ['renew'] },
      })}\r\n`,
    );
    expect(first).toEqual({
      id: 'ok',
      customer: 'new',
      turns: ['Hello'],
      expect: {
        kind: 'smalltalk',
        article: null,
        facts: [],
        forbid: [],
        reason: null,
        tool: null,
        language: null,
      },
    });
    expect(second!.customer).toBe('demo-alice');
    expect(second!.turns).toHaveLength(2);
    expect(second!.expect.tool).toEqual({ name: 'lookup_account', args: {} });
  });

  it('names the line and the field of every problem at once', () => {
    const source = [
      line(valid),
      '{"id": "broken",',
      line({ id: 'kind', turns: ['Hi'], expect: { kind: 'answr' } }),
      line({ id: 'regex', turns: ['Hi'], expect: { kind: 'answer', facts: ['(unclosed'] } }),
      line({ id: 'typo', turns: ['Hi'], expect: { kind: 'answer', artcle: 'refund-policy' } }),
      line({ id: 'tool', turns: ['Hi'], expect: { kind: 'tool' } }),
      line({ id: 'reason', turns: ['Hi'], expect: { kind: 'answer', reason: 'customer_request' } }),
      line({ id: 'no turns', turns: [], expect: { kind: 'answer' } }),
      line({ id: 'ok', turns: ['Hi again'], expect: { kind: 'smalltalk' } }),
    ].join('\n');
    const found = problems(source);
    expect(found[0]).toMatch(/^line 2: is not JSON/);
    expect(found.slice(1)).toEqual([
      expect.stringMatching(/^line 3: expect\.kind: /),
      expect.stringMatching(/^line 4: expect\.facts\.0: is not a valid regular expression/),
      expect.stringMatching(/^line 5: expect: .*artcle/),
      'line 6: expect.tool: is required for a tool case',
      'line 7: expect.reason: applies to escalate cases only',
      'line 8: id: must not contain spaces',
      expect.stringMatching(/^line 8: turns: /),
      'line 9: id: "ok" is already the id of line 1',
    ]);
  });

  it('keeps keys of its own beside a case, such as a note on why it fails today', () => {
    const source = line({ ...valid, note: 'fails today: answers the intro', tags: ['intro'] });
    const [parsed] = parseCasesJsonl(source);
    expect(parsed).toMatchObject({ note: 'fails today: answers the intro', tags: ['intro'] });
  });

  it('writes a suite that reads back the same', async () => {
    const cases = parseCasesJsonl(await readFile(fixture, 'utf8'));
    expect(cases.length).toBeGreaterThan(3);
    const written = formatCasesJsonl(cases);
    expect(written.trimEnd().split('\n')).toHaveLength(cases.length);
    expect(parseCasesJsonl(written)).toEqual(cases);
  });
});
