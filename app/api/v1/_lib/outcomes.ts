import {
  DURABLE_DAYS,
  OUTCOME_DEFINITIONS,
  OUTCOMES,
  type OutcomeBreakdown,
  QUIET_HOURS,
} from '@/lib/analytics/outcomes';
import type { DateRange } from '@/lib/analytics/range';

/** How a range's conversations ended, as the public API gives it: each figure with its definition. */
export function outcomesJson(range: DateRange, breakdown: OutcomeBreakdown) {
  const { durable } = breakdown;
  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    as_of: breakdown.asOf,
    conversations: breakdown.conversations,
    outcomes: Object.fromEntries(
      OUTCOMES.map((outcome) => [
        outcome,
        { ...breakdown.outcomes[outcome], ...OUTCOME_DEFINITIONS[outcome] },
      ]),
    ),
    daily: breakdown.daily.map(({ day, counts }) => ({ day, ...counts })),
    ai_resolution_seconds: breakdown.aiResolutionSeconds,
    durable: { ...durable, ...OUTCOME_DEFINITIONS.durable },
    windows: { quiet_hours: QUIET_HOURS, durable_days: DURABLE_DAYS },
  };
}
