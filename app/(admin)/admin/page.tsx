import type { Metadata } from 'next';
import { adminForPage } from '@/app/page-guard';
import { CountBars, VolumeChart } from '@/components/admin/dashboard-charts';
import { OutcomesCard } from '@/components/admin/outcomes-card';
import { RangePicker, rangeOrDefault } from '@/components/admin/range-picker';
import { type Duration, dashboardMetrics } from '@/lib/analytics/dashboard';
import { formatDay, parseDateRange } from '@/lib/analytics/range';
import { getApp } from '@/lib/server/app';
import { escalationReasonLabel } from '@/lib/turn/escalation-policy';

export const metadata: Metadata = { title: 'Insights' };

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

const medianOf = (d: Duration) => `${duration(d.median)}${d.n ? ` (n=${d.n})` : ''}`;

function Card({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border border-gray-200 bg-white p-4">
      <p className="text-xs text-ink-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold">{value}</p>
      {hint && <p className="mt-0.5 text-xs text-ink-500">{hint}</p>}
    </div>
  );
}

/** The insights dashboard: what the AI is worth and where it fails, for a date range. */
export default async function InsightsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const admin = await adminForPage('/admin');
  if (!admin) return null;
  const { range, error: rangeError } = rangeOrDefault(parseDateRange, await searchParams);
  const m = await dashboardMetrics((await getApp()).database.db, range);
  const query = range.days
    ? `days=${range.days}`
    : `from=${formatDay(range.from)}&to=${formatDay(new Date(range.to.getTime() - 86_400_000))}`;
  const lastDay = formatDay(new Date(range.to.getTime() - 86_400_000));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3">
        <h1 className="mr-auto text-xl font-semibold">Insights</h1>
        <RangePicker path="/admin" range={range} />
      </div>
      {rangeError && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {rangeError} Showing the last 30 days.
        </p>
      )}
      <p className="text-sm text-ink-500">
        Conversations started {formatDay(range.from)} to {lastDay} (UTC).{' '}
        <a href={`/api/admin/export/conversations?${query}`} className="text-brand-600 underline">
          Export conversations (CSV)
        </a>{' '}
        ·{' '}
        <a href={`/api/admin/export/metrics?${query}`} className="text-brand-600 underline">
          Export metrics (CSV)
        </a>
      </p>

      <section aria-label="Key figures" className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Card
          label="Conversations"
          value={String(m.totals.conversations)}
          hint={`${m.totals.open} still open`}
        />
        <Card
          label="Resolved by AI"
          value={percent(m.totals.aiResolutionRate)}
          hint={`${m.totals.aiResolved} with no person involved`}
        />
        <Card
          label="Escalated"
          value={percent(m.totals.escalationRate)}
          hint={`${m.totals.escalated} handed to people`}
        />
        <Card
          label="CSAT"
          value={m.csat.average === null ? '—' : `${m.csat.average.toFixed(2)} / 5`}
          hint={`${m.csat.responses} ratings`}
        />
        <Card label="AI first response (median)" value={medianOf(m.firstResponse.ai)} />
        <Card
          label="Human first response (median)"
          value={medianOf(m.firstResponse.human)}
          hint="from hand-off to first reply"
        />
        <Card label="AI time to resolution (median)" value={medianOf(m.resolution.ai)} />
        <Card label="Human time to resolution (median)" value={medianOf(m.resolution.human)} />
        <Card
          label="Helpful answers"
          value={percent(m.answers.helpfulRate)}
          hint={`${m.answers.helpful} 👍 · ${m.answers.notHelpful} 👎`}
        />
      </section>

      <OutcomesCard outcomes={m.outcomes} />

      <div className="grid gap-4 lg:grid-cols-2">
        <VolumeChart daily={m.daily} />
        <CountBars
          title="Escalation reasons"
          data={m.escalationReasons.map((r) => ({ ...r, reason: escalationReasonLabel(r.reason) }))}
          labelKey="reason"
          valueKey="count"
        />
        <CountBars
          title="CSAT ratings"
          data={m.csat.distribution.map((count, i) => ({ rating: `${i + 1}★`, count }))}
          labelKey="rating"
          valueKey="count"
        />
        <CountBars
          title="Busiest hours (UTC)"
          data={m.busiestHours}
          labelKey="hour"
          valueKey="conversations"
        />
        <CountBars
          title="By category"
          data={m.byCategory}
          labelKey="key"
          valueKey="conversations"
          secondKey="escalated"
          secondName="Escalated"
        />
        <CountBars
          title="By priority"
          data={m.byPriority}
          labelKey="key"
          valueKey="conversations"
          secondKey="escalated"
          secondName="Escalated"
        />
        <CountBars
          title="By sentiment"
          data={m.bySentiment}
          labelKey="key"
          valueKey="conversations"
          secondKey="escalated"
          secondName="Escalated"
        />
        <CountBars
          title="By language"
          data={m.byLanguage}
          labelKey="key"
          valueKey="conversations"
          secondKey="escalated"
          secondName="Escalated"
        />
      </div>

      <section aria-label="Agents" className="rounded-lg border border-gray-200 bg-white p-4">
        <h2 className="mb-2 text-sm font-medium">Agents</h2>
        {m.agents.length === 0 ? (
          <p className="text-sm text-ink-500">No conversations handled by people in this range.</p>
        ) : (
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-ink-500">
                <th className="py-1">Agent</th>
                <th>Handled</th>
                <th>Resolved</th>
                <th>Median handle time</th>
                <th>CSAT</th>
              </tr>
            </thead>
            <tbody>
              {m.agents.map((a) => (
                <tr key={a.id} className="border-t">
                  <td className="py-1">{a.name}</td>
                  <td>{a.conversations}</td>
                  <td>{a.resolved}</td>
                  <td>{duration(a.medianHandleSeconds)}</td>
                  <td>{a.csat === null ? '—' : `${a.csat.toFixed(2)} (${a.csatResponses})`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
