import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OutcomesCard } from '@/components/admin/outcomes-card';
import { OUTCOME_DEFINITIONS, OUTCOMES, type OutcomeBreakdown } from '@/lib/analytics/outcomes';

const breakdown = (durable: OutcomeBreakdown['durable']): OutcomeBreakdown => ({
  asOf: '2026-11-21T12:00:00.000Z',
  conversations: 10,
  outcomes: {
    ai_resolved: { count: 5, rate: 0.5 },
    assisted: { count: 2, rate: 0.2 },
    escalated: { count: 1, rate: 0.1 },
    abandoned: { count: 1, rate: 0.1 },
    in_progress: { count: 1, rate: 0.1 },
  },
  daily: [],
  aiResolutionSeconds: { median: 300, p90: 900, n: 5 },
  durable,
});

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');

describe('the Outcomes card', () => {
  it('shows each outcome with its count, share and definition, and the durable rate', () => {
    const html = renderToStaticMarkup(
      createElement(OutcomesCard, {
        outcomes: breakdown({ judged: 4, durable: 3, reopened: 1, pending: 3, rate: 0.75 }),
      }),
    );
    const shown = text(html);
    for (const outcome of OUTCOMES) {
      const { label, definition } = OUTCOME_DEFINITIONS[outcome];
      expect(shown).toContain(label);
      expect(shown).toContain(definition);
    }
    expect(shown).toContain('Resolved by the AI alone 5 · 50%');
    expect(shown).toContain('Durable 75% of 4');
    expect(shown).toContain('1 reopened within 7 days; 3 resolved too recently to judge.');
    expect(html).toContain('width:50%');
  });

  it('shows no durable rate until a resolution is old enough to judge', () => {
    const shown = text(
      renderToStaticMarkup(
        createElement(OutcomesCard, {
          outcomes: breakdown({ judged: 0, durable: 0, reopened: 0, pending: 7, rate: null }),
        }),
      ),
    );
    expect(shown).toContain('Durable — ');
    expect(shown).toContain('7 resolved too recently to judge.');
  });
});
