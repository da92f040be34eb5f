'use client';

import Link from 'next/link';
import { useCallback, useState } from 'react';
import { deskTestsRequest } from '../desk-tests/request';
import { RunProgress } from '../desk-tests/status';
import { API, runUrl } from '../desk-tests/types';
import { useRunTracker } from '../desk-tests/use-run-tracker';
import { buttonClass, sectionClass } from '../use-action';

/**
 * The wizard's test of an imported help center: a case per article (a customer asks about its
 * title), run on a copy of the desk, with how many articles the assistant found and answered.
 */
export function ArticleTests({ articles }: { articles: number }) {
  const [preparing, setPreparing] = useState(false);
  const [prepareError, setPrepareError] = useState<string | null>(null);
  const tracker = useRunTracker(useCallback(async () => {}, []));

  async function runArticleTests() {
    setPreparing(true);
    setPrepareError(null);
    try {
      const { caseIds } = await deskTestsRequest<{ caseIds: string[] }>(
        `${API}/from-articles`,
        'POST',
      );
      if (caseIds.length > 0) await tracker.start(caseIds);
    } catch (error) {
      setPrepareError((error as Error).message);
    } finally {
      setPreparing(false);
    }
  }

  const run = tracker.run;
  const summary = run?.summary;
  return (
    <section className={`${sectionClass} space-y-2`} aria-label="Test the imported articles">
      <p className="text-sm text-ink-500">
        {articles === 0
          ? 'Import or add articles first: each gets a test in which a customer asks about its title.'
          : `Each of your ${articles} article${articles === 1 ? '' : 's'} gets a test: a customer asks about its title, and the answer must come from that article.`}
      </p>
      <button
        type="button"
        className={buttonClass}
        disabled={articles === 0 || preparing || tracker.running}
        onClick={() => void runArticleTests()}
      >
        {tracker.running ? 'Testing…' : 'Test the articles'}
      </button>
      {(prepareError ?? tracker.error) && (
        <p role="alert" className="text-sm text-red-700">
          {prepareError ?? tracker.error}
        </p>
      )}
      {run?.status === 'running' && <RunProgress done={run.done} total={run.total} />}
      {run && run.status !== 'running' && (
        <p role="status" className="text-sm">
          {summary
            ? `${summary.passed} of ${summary.n} articles were found and answered. `
            : `The test run failed${run.error ? `: ${run.error}` : ''}. `}
          <Link href={runUrl(run.id)} className="text-brand-600 underline">
            See each answer
          </Link>
        </p>
      )}
    </section>
  );
}
