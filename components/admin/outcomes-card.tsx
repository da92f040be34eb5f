import {
  DURABLE_DAYS,
  OUTCOME_DEFINITIONS,
  OUTCOMES,
  type Outcome,
  type OutcomeBreakdown,
} from '@/lib/analytics/outcomes';

const BAR: Record<Outcome, string> = {
  ai_resolved: 'bg-green-600',
  assisted: 'bg-brand-600',
  escalated: 'bg-rose-600',
  abandoned: 'bg-amber-500',
  in_progress: 'bg-gray-400',
};

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

/** How the range's conversations ended, each outcome with its definition, and how many resolutions held. */
export function OutcomesCard({ outcomes }: { outcomes: OutcomeBreakdown }) {
  const { durable } = outcomes;
  return (
    <section aria-label="Outcomes" className="rounded-lg border border-gray-200 bg-white p-4">
      <h2 className="text-sm font-medium">Outcomes</h2>
      <p className="mb-3 text-xs text-ink-500">
        {outcomes.conversations > 0
          ? `How the ${outcomes.conversations} conversations started in the range have ended, judged now. Each has exactly one outcome.`
          : 'Not enough data yet: no conversation started in this range. Each outcome is defined below.'}
      </p>
      <ul className="space-y-3">
        {OUTCOMES.map((outcome) => {
          const { count, rate } = outcomes.outcomes[outcome];
          const { label, definition } = OUTCOME_DEFINITIONS[outcome];
          return (
            <li key={outcome} data-outcome={outcome}>
              <div className="flex items-baseline justify-between text-sm">
                <span>{label}</span>
                <span className="tabular-nums">
                  {rate === null ? '—' : `${count} · ${percent(rate)}`}
                </span>
              </div>
              <div className="mt-1 h-2 rounded bg-gray-100" aria-hidden="true">
                <div
                  className={`h-2 rounded ${BAR[outcome]}`}
                  style={{ width: `${Math.round((rate ?? 0) * 100)}%` }}
                />
              </div>
              <p className="mt-0.5 text-xs text-ink-500">{definition}</p>
            </li>
          );
        })}
      </ul>
      <div className="mt-4 border-t pt-3" data-outcome="durable">
        <div className="flex items-baseline justify-between text-sm">
          <span>{OUTCOME_DEFINITIONS.durable.label}</span>
          <span className="tabular-nums">
            {percent(durable.rate)}
            {durable.judged > 0 && ` of ${durable.judged}`}
          </span>
        </div>
        <p className="mt-0.5 text-xs text-ink-500">{OUTCOME_DEFINITIONS.durable.definition}</p>
        <p className="mt-0.5 text-xs text-ink-500">
          {durable.judged + durable.pending === 0
            ? 'No conversation in the range has been resolved yet.'
            : `${durable.reopened} reopened within ${DURABLE_DAYS} days; ${durable.pending} resolved too recently to judge.`}
        </p>
      </div>
    </section>
  );
}
