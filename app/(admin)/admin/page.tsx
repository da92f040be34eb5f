import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { adminForPage } from '@/app/page-guard';
import { LabelledBars, ScaleBars, VolumeChart } from '@/components/admin/dashboard-charts';
import { OutcomesCard } from '@/components/admin/outcomes-card';
import { RangePicker, rangeOrDefault } from '@/components/admin/range-picker';
import { type Duration, dashboardMetrics } from '@/lib/analytics/dashboard';
import { formatDay, parseDateRange } from '@/lib/analytics/range';
import { getApp } from '@/lib/server/app';
import { listCategories } from '@/lib/settings/classifier-queries';
import { isSetupPending } from '@/lib/settings/desk-setup';
import { categoryLabel, humanizeKey, languageLabel } from '@/lib/text/labels';
import { escalationReasonLabel } from '@/lib/turn/escalation-policy';

export const metadata: Metadata = { title: 'Insights' };

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  // Under a second is not "0 s": the reply came, just fast.
  if (seconds < 1) return '< 1 s';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A median, or "—" with why when nothing was measured. */
function medianCard(d: Duration, nothing: string): { value: string; hint: string } {
  if (d.n === 0 || d.median === null) return { value: '—', hint: nothing };
  return { value: duration(d.median), hint: `median of ${d.n}` };
}

function Card({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border border-gray-200 bg-white p-4" data-figure={label}>
      <p className="text-xs text-ink-500">{label}</p>
      <p
        className="mt-1 text-2xl font-semibold"
        title={value === '—' ? 'Not measured yet' : undefined}
      >
        {value}
      </p>
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
  // A desk that started clean shows its first admin the setup wizard until it is finished.
  if (await isSetupPending((await getApp()).database.db)) redirect('/admin/setup');
  const { range, error: rangeError } = rangeOrDefault(parseDateRange, await searchParams);
  const { db } = (await getApp()).database;
  const [m, taxonomy] = await Promise.all([dashboardMetrics(db, range), listCategories(db)]);
  const categoryNames = new Map(taxonomy.map((c) => [c.slug, c.name]));
  const ended = m.totals.conversations - m.outcomes.outcomes.in_progress.count;
  const rated = m.answers.helpful + m.answers.notHelpful;
  const aiFirst = medianCard(m.firstResponse.ai, 'No AI reply in this range yet.');
  const humanFirst = medianCard(
    m.firstResponse.human,
    'No person has replied after a hand-off yet.',
  );
  const aiResolution = medianCard(m.resolution.ai, 'No conversation resolved by the AI yet.');
  const humanResolution = medianCard(
    m.resolution.human,
    'No conversation resolved by a person yet.',
  );
  const byKey = (
    rows: { key: string; conversations: number; escalated: number }[],
    label: (key: string) => string,
  ) => rows.map((r) => ({ ...r, label: r.key === 'unknown' ? 'Not classified' : label(r.key) }));
  const conversationsAndEscalated = [
    { key: 'conversations', name: 'Conversations' },
    { key: 'escalated', name: 'Escalated' },
  ];
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
          hint={
            m.totals.conversations ? `${m.totals.open} still open` : 'None started in this range.'
          }
        />
        <Card
          label="Resolved by AI"
          value={ended > 0 ? percent(m.totals.aiResolutionRate) : '—'}
          hint={
            ended > 0
              ? `${m.totals.aiResolved} with no person involved`
              : m.totals.conversations
                ? 'No conversation has ended yet.'
                : 'No conversations in this range.'
          }
        />
        <Card
          label="Escalated"
          value={percent(m.totals.escalationRate)}
          hint={
            m.totals.conversations
              ? `${m.totals.escalated} handed to people`
              : 'No conversations in this range.'
          }
        />
        <Card
          label="CSAT"
          value={m.csat.average === null ? '—' : `${m.csat.average.toFixed(2)} / 5`}
          hint={
            m.csat.responses ? `${m.csat.responses} ratings` : 'No customer has rated a chat yet.'
          }
        />
        <Card label="AI first response" {...aiFirst} />
        <Card
          label="Human first response"
          value={humanFirst.value}
          hint={
            humanFirst.value === '—'
              ? humanFirst.hint
              : `${humanFirst.hint}, from hand-off to first reply`
          }
        />
        <Card label="AI time to resolution" {...aiResolution} />
        <Card label="Human time to resolution" {...humanResolution} />
        <Card
          label="Helpful answers"
          value={percent(m.answers.helpfulRate)}
          hint={
            rated
              ? `${m.answers.helpful} helpful · ${m.answers.notHelpful} not helpful`
              : 'No customer has rated an answer yet.'
          }
        />
      </section>

      <OutcomesCard outcomes={m.outcomes} />

      <div className="grid gap-4 lg:grid-cols-2">
        <VolumeChart daily={m.daily} />
        <LabelledBars
          title="Escalation reasons"
          description="Why conversations were handed to people."
          data={m.escalationReasons.map((r) => ({ ...r, reason: escalationReasonLabel(r.reason) }))}
          labelKey="reason"
          series={[{ key: 'count', name: 'Escalations' }]}
          emptyMessage="No conversation in this range was handed to a person."
        />
        <ScaleBars
          title="CSAT ratings"
          description="Customers' ratings of resolved chats, 1 to 5 stars."
          data={m.csat.distribution.map((count, i) => ({
            rating: `${i + 1} star${i ? 's' : ''}`,
            count,
          }))}
          labelKey="rating"
          series={{ key: 'count', name: 'Ratings' }}
          emptyMessage="No customer has rated a chat in this range."
        />
        <ScaleBars
          title="Busiest hours (UTC)"
          description="Conversations started in each hour of the day."
          data={m.busiestHours.map((h) => ({
            ...h,
            hour: `${String(h.hour).padStart(2, '0')}:00`,
          }))}
          labelKey="hour"
          series={{ key: 'conversations', name: 'Conversations' }}
          emptyMessage="No conversation started in this range."
        />
        <LabelledBars
          title="By category"
          data={byKey(m.byCategory, (key) => categoryLabel(key, categoryNames))}
          labelKey="label"
          series={conversationsAndEscalated}
          emptyMessage="No conversation in this range has been classified yet."
        />
        <LabelledBars
          title="By priority"
          data={byKey(m.byPriority, humanizeKey)}
          labelKey="label"
          series={conversationsAndEscalated}
          emptyMessage="No conversation in this range has a priority yet."
        />
        <LabelledBars
          title="By sentiment"
          data={byKey(m.bySentiment, humanizeKey)}
          labelKey="label"
          series={conversationsAndEscalated}
          emptyMessage="No customer message in this range has been read for sentiment yet."
        />
        <LabelledBars
          title="By language"
          data={byKey(m.byLanguage, languageLabel)}
          labelKey="label"
          series={conversationsAndEscalated}
          emptyMessage="No conversation in this range has a language yet."
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
