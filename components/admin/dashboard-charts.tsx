'use client';

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
const ROSE = '#e11d48';
const GREEN = '#16a34a';

function Frame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <figure aria-label={title} className="rounded-lg border border-gray-200 bg-white p-4">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div className="h-56 w-full">
        <ResponsiveContainer width="100%" height="100%">
          {children as React.ReactElement}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function VolumeChart({ daily }: { daily: DashboardMetrics['daily'] }) {
  return (
    <Frame title="Conversations over time">
      <LineChart data={daily} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="#f1f5f9" />
        <XAxis dataKey="day" tick={{ fontSize: 11 }} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line
          type="monotone"
          dataKey="conversations"
          name="Conversations"
          stroke={BLUE}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="aiResolved"
          name="Resolved by AI"
          stroke={GREEN}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="escalated"
          name="Escalated"
          stroke={ROSE}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </Frame>
  );
}

export function CountBars({
  title,
  data,
  labelKey,
  valueKey,
  secondKey,
  secondName,
}: {
  title: string;
  data: Record<string, string | number>[];
  labelKey: string;
  valueKey: string;
  secondKey?: string;
  secondName?: string;
}) {
  return (
    <Frame title={title}>
      <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="#f1f5f9" vertical={false} />
        <XAxis dataKey={labelKey} tick={{ fontSize: 11 }} interval={0} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Bar dataKey={valueKey} name="Conversations" fill={BLUE} isAnimationActive={false} />
        {secondKey && (
          <Bar dataKey={secondKey} name={secondName} fill={ROSE} isAnimationActive={false} />
        )}
      </BarChart>
    </Frame>
  );
}
