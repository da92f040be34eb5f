'use client';

import { ChartNoAxesColumn } from 'lucide-react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DashboardMetrics } from '@/lib/analytics/dashboard';

const BLUE = '#2057d1';
const ROSE = '#be123c';
const GREEN = '#15803d';
/** Axis text: ink-500 on white is 5.9:1, enough for 11px labels. */
const TICK = { fontSize: 11, fill: '#5b6473' };
/** Category labels longer than this are cut on the axis; the tooltip and title show them whole. */
const LABEL_CHARS = 22;

function Frame({
  title,
  description,
  empty,
  height = 224,
  children,
}: {
  title: string;
  description?: string;
  /** Why there is nothing to draw; the chart is not drawn at all then. */
  empty: string | null;
  height?: number;
  children: React.ReactNode;
}) {
  return (
    <figure aria-label={title} className="rounded-lg border border-gray-200 bg-white p-4">
      <figcaption className="mb-2">
        <span className="text-sm font-medium">{title}</span>
        {description && <span className="block text-xs text-ink-500">{description}</span>}
      </figcaption>
      {empty ? (
        <div
          data-empty="true"
          className="flex flex-col items-center justify-center gap-1 rounded-md bg-gray-50 px-4 text-center"
          style={{ height }}
        >
          <ChartNoAxesColumn aria-hidden="true" className="size-6 text-ink-500" />
          <p className="text-sm font-medium text-ink-700">Not enough data yet</p>
          <p className="max-w-xs text-xs text-ink-500">{empty}</p>
        </div>
      ) : (
        <div className="w-full" style={{ height }}>
          <ResponsiveContainer width="100%" height="100%">
            {children as React.ReactElement}
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}

export function VolumeChart({ daily }: { daily: DashboardMetrics['daily'] }) {
  const total = daily.reduce((sum, d) => sum + d.conversations, 0);
  return (
    <Frame
      title="Conversations over time"
      description="Per day (UTC): started, then how many the AI resolved and how many went to people."
      empty={total === 0 ? 'No conversation started in this range.' : null}
    >
      <LineChart data={daily} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#f1f5f9" />
        <XAxis dataKey="day" tick={TICK} minTickGap={16} />
        <YAxis allowDecimals={false} tick={TICK} width={32} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line
          type="monotone"
          dataKey="conversations"
          name="Conversations"
          stroke={BLUE}
          dot={daily.length === 1}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="aiResolved"
          name="Resolved by AI"
          stroke={GREEN}
          dot={daily.length === 1}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="escalated"
          name="Escalated"
          stroke={ROSE}
          dot={daily.length === 1}
          isAnimationActive={false}
        />
      </LineChart>
    </Frame>
  );
}

export interface Series {
  key: string;
  /** What one bar counts, in the legend and the tooltip. */
  name: string;
}

const SECOND_COLOURS = [ROSE, GREEN];

/** A category label on the axis: cut to fit, the whole label in its native tooltip. */
function CategoryTick({
  x,
  y,
  payload,
}: {
  x?: number | string;
  y?: number | string;
  payload?: { value: string | number };
}) {
  const full = String(payload?.value ?? '');
  const shown = full.length > LABEL_CHARS ? `${full.slice(0, LABEL_CHARS - 1)}…` : full;
  return (
    <g transform={`translate(${x},${y})`}>
      <title>{full}</title>
      <text x={-6} y={0} dy={4} textAnchor="end" fontSize={TICK.fontSize} fill={TICK.fill}>
        {shown}
      </text>
    </g>
  );
}

/**
 * Counts by a label (a category, a reason): horizontal bars, so every label reads in full beside
 * its bar whatever its length, with a legend naming each series.
 */
export function LabelledBars({
  title,
  description,
  data,
  labelKey,
  series,
  emptyMessage,
}: {
  title: string;
  description?: string;
  data: Record<string, string | number>[];
  labelKey: string;
  series: Series[];
  /** Said when there is nothing to count. */
  emptyMessage: string;
}) {
  const hasData = data.some((row) => series.some((s) => Number(row[s.key]) > 0));
  const longest = Math.max(0, ...data.map((row) => String(row[labelKey]).length));
  const axisWidth = Math.min(LABEL_CHARS, Math.max(4, longest)) * 6.2 + 12;
  const height = Math.max(160, data.length * (series.length > 1 ? 34 : 26) + 64);
  return (
    <Frame
      title={title}
      description={description}
      empty={hasData ? null : emptyMessage}
      height={height}
    >
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#f1f5f9" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={TICK} />
        <YAxis
          type="category"
          dataKey={labelKey}
          width={axisWidth}
          interval={0}
          tick={<CategoryTick />}
        />
        <Tooltip cursor={{ fill: '#f8fafc' }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.name}
            fill={i === 0 ? BLUE : SECOND_COLOURS[(i - 1) % SECOND_COLOURS.length]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </Frame>
  );
}

/** Counts over an ordered scale (ratings, hours of the day): upright bars in the scale's order. */
export function ScaleBars({
  title,
  description,
  data,
  labelKey,
  series,
  emptyMessage,
}: {
  title: string;
  description?: string;
  data: Record<string, string | number>[];
  labelKey: string;
  series: Series;
  emptyMessage: string;
}) {
  const hasData = data.some((row) => Number(row[series.key]) > 0);
  return (
    <Frame title={title} description={description} empty={hasData ? null : emptyMessage}>
      <BarChart data={data} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#f1f5f9" vertical={false} />
        <XAxis dataKey={labelKey} tick={TICK} minTickGap={4} />
        <YAxis allowDecimals={false} tick={TICK} width={32} />
        <Tooltip cursor={{ fill: '#f8fafc' }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey={series.key} name={series.name} fill={BLUE} isAnimationActive={false} />
      </BarChart>
    </Frame>
  );
}
