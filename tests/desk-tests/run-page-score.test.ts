import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Score } from '@/components/admin/desk-tests/run-view';
import { StatusBadge } from '@/components/admin/desk-tests/status';
import { summarize } from '@/lib/desk-tests/score';

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe("a run's score on its page", () => {
  it('shows pass^k beside pass@1, the flaky count, and the pass rate of each kind', () => {
    const score = summarize([
      { kind: 'answer', passes: 3, attempts: 3 },
      { kind: 'answer', passes: 1, attempts: 3 },
      { kind: 'escalate', passes: 0, attempts: 3 },
    ]);
    const shown = text(renderToStaticMarkup(createElement(Score, { score, k: 3 })));
    expect(shown).toContain('Passed 1/3');
    expect(shown).toContain('pass^3 33%');
    expect(shown).toContain('pass@1 44%');
    expect(shown).toContain('Flaky 1');
    expect(shown).toContain('answer 1 2 50%');
    expect(shown).toContain('escalate 0 1 0%');
  });

  it('names a single attempt per case a plain pass rate', () => {
    const score = summarize([{ kind: 'smalltalk', passes: 1, attempts: 1 }]);
    const shown = text(renderToStaticMarkup(createElement(Score, { score, k: 1 })));
    expect(shown).toContain('Pass rate 100%');
    expect(shown).not.toContain('pass^');
  });

  it('marks a case whose attempts disagree as flaky, with how many passed', () => {
    const badge = (passes: number, attempts: number, status: 'pass' | 'fail' | 'flaky') =>
      text(renderToStaticMarkup(createElement(StatusBadge, { status, passes, attempts })));
    expect(badge(2, 3, 'flaky')).toBe('flaky 2/3');
    expect(badge(3, 3, 'pass')).toBe('pass 3/3');
    expect(badge(1, 1, 'pass')).toBe('pass');
    expect(badge(0, 1, 'fail')).toBe('fail');
  });
});
