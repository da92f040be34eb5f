import { Badge } from '@/components/console/badges';
import type { CaseStatus } from '@/lib/desk-tests/score';

const STATUS_STYLE: Record<CaseStatus, string> = {
  pass: 'bg-green-50 text-green-800',
  fail: 'bg-red-50 text-red-800',
  flaky: 'bg-amber-50 text-amber-800',
};

/** pass, fail, or flaky with how many of the k attempts passed. */
export function StatusBadge({
  status,
  passes,
  attempts,
}: {
  status: CaseStatus;
  passes: number;
  attempts: number;
}) {
  const label = status === 'flaky' || attempts > 1 ? `${status} ${passes}/${attempts}` : status;
  return <Badge className={STATUS_STYLE[status]}>{label}</Badge>;
}

/** A share as a whole percentage, e.g. 0.8333 → 83%. */
export const percent = (share: number) => `${Math.round(share * 100)}%`;

/** How far a run has got, as a bar a screen reader announces as "n of total cases". */
export function RunProgress({ done, total }: { done: number; total: number }) {
  const share = total > 0 ? done / total : 0;
  return (
    <div className="space-y-1">
      <div
        role="progressbar"
        aria-label="Test run progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${done} of ${total} cases`}
        className="h-2 w-full overflow-hidden rounded-full bg-gray-200"
      >
        <div
          className="h-full rounded-full bg-brand-600 transition-[width]"
          style={{ width: `${share * 100}%` }}
        />
      </div>
      <p className="text-xs text-ink-500">
        {done} of {total} cases
      </p>
    </div>
  );
}
