'use client';

import {
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

export interface SentimentPoint {
  at: string;
  polarity: number;
  frustration: number;
}

/** Sentiment and frustration over the customer's messages, oldest first. */
export function SentimentChart({ points }: { points: SentimentPoint[] }) {
  if (points.length === 0) return <p className="text-xs text-ink-500">No customer messages yet.</p>;
  const data = points.map((p, i) => ({ ...p, n: i + 1 }));
  const last = points.at(-1)!;
  return (
    <figure aria-label="Sentiment trend">
      <div className="h-28 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -28 }}>
            <XAxis dataKey="n" tick={{ fontSize: 10 }} />
            <YAxis domain={[-1, 1]} ticks={[-1, 0, 1]} tick={{ fontSize: 10 }} />
            <ReferenceLine y={0} stroke="#d1d5db" />
            <Tooltip
              formatter={(value, name) => [
                Number(value).toFixed(2),
                name === 'polarity' ? 'sentiment' : 'frustration',
              ]}
              labelFormatter={(n) => `Message ${n}`}
            />
            <Line
              type="monotone"
              dataKey="polarity"
              stroke="#2057d1"
              strokeWidth={2}
              dot={{ r: 2 }}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="frustration"
              stroke="#e11d48"
              strokeWidth={1.5}
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 text-[11px] text-ink-500">
        Blue: sentiment (−1…1); red dashed: frustration (0…1). Latest: {last.polarity.toFixed(2)} /{' '}
        {last.frustration.toFixed(2)}.
      </figcaption>
    </figure>
  );
}
