import { ArrowRight, type LucideIcon, TrendingDown, TrendingUp } from 'lucide-react';

const PRIORITY_STYLE: Record<string, string> = {
  urgent: 'bg-red-600 text-white',
  high: 'bg-orange-100 text-orange-800',
  medium: 'bg-yellow-50 text-yellow-800',
  low: 'bg-gray-100 text-ink-700',
};

export function Badge({
  children,
  className = '',
}: {
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-[11px] font-medium ${className}`}
    >
      {children}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: string | null }) {
  if (!priority) return null;
  return <Badge className={PRIORITY_STYLE[priority] ?? ''}>{priority}</Badge>;
}

/** Polarity −1..1 as a word an agent reads at a glance. */
export function sentimentLabel(polarity: number | null): string | null {
  if (polarity === null) return null;
  if (polarity <= -0.5) return 'very negative';
  if (polarity < -0.1) return 'negative';
  if (polarity > 0.1) return 'positive';
  return 'neutral';
}

export function SentimentBadge({ polarity }: { polarity: number | null }) {
  const label = sentimentLabel(polarity);
  if (!label) return null;
  const style = label.includes('negative')
    ? 'bg-rose-50 text-rose-700'
    : label === 'positive'
      ? 'bg-green-50 text-green-700'
      : 'bg-gray-100 text-ink-700';
  return <Badge className={style}>{label}</Badge>;
}

const TRENDS: Record<string, { Icon: LucideIcon; style: string }> = {
  improving: { Icon: TrendingUp, style: 'bg-green-50 text-green-700' },
  worsening: { Icon: TrendingDown, style: 'bg-rose-50 text-rose-700' },
  steady: { Icon: ArrowRight, style: 'bg-gray-100 text-ink-700' },
};

/** Which way the customer's mood is going; a steady one only where there is room to say so. */
export function TrendBadge({
  trend,
  showSteady = false,
}: {
  trend: string | null | undefined;
  showSteady?: boolean;
}) {
  const shown = trend ? TRENDS[trend] : undefined;
  if (!shown || (trend === 'steady' && !showSteady)) return null;
  return (
    <Badge className={shown.style}>
      <shown.Icon aria-hidden="true" className="mr-0.5 size-3" />
      {trend}
    </Badge>
  );
}

export function formatWaiting(since: string | null, now: number): string | null {
  if (!since) return null;
  const seconds = Math.max(0, Math.floor((now - new Date(since).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  return hours < 48
    ? `${hours}h ${String(minutes % 60).padStart(2, '0')}m`
    : `${Math.floor(hours / 24)}d`;
}
