import type { DeskContentVersion, DeskTestFailure, DeskTestSummary } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import type { Article } from '@/lib/kb/article';
import {
  addDocument,
  type DocumentEdit,
  editDocument,
  getDocumentOrThrow,
  readUpload,
  removeDocument,
} from '@/lib/kb/manage-documents';
import type { TestKind } from './case';
import type { CaseResult } from './run-suite';
import { type CaseStatus, caseStatus } from './score';

/**
 * A change to the knowledge base an admin has not published yet: an article's edited text (or
 * title, category, summary), a new Markdown article as it would be uploaded, or a deletion.
 */
export type KbDraft =
  | ({ action: 'edit'; id: string } & DocumentEdit)
  | { action: 'add'; markdown: string; category?: string | null }
  | { action: 'delete'; id: string };

/** A draft checked against the live desk, with the article it concerns. */
export interface CheckedKbDraft {
  draft: KbDraft;
  /** The article as it would be stored, for an added one. */
  article: Article | null;
  /** The document it changes, as the admin knows it. */
  document: { slug: string; title: string };
}

/**
 * Checks a draft before anything runs, so a draft naming no document or an unreadable article
 * is refused with its own error: the documents it edits or deletes must exist, an added one
 * must read as a Markdown upload would.
 */
export async function checkKbDraft(
  desk: Pick<AppContext, 'database' | 'config'>,
  draft: KbDraft,
): Promise<CheckedKbDraft> {
  if (draft.action === 'add') {
    const read = await readUpload(
      {
        filename: 'draft.md',
        mediaType: 'text/markdown',
        bytes: new TextEncoder().encode(draft.markdown),
      },
      desk.config.kb.maxUploadBytes,
    );
    const article = draft.category ? { ...read, category: draft.category } : read;
    return { draft, article, document: { slug: article.slug, title: article.title } };
  }
  const current = await getDocumentOrThrow(desk, draft.id);
  return {
    draft,
    article: null,
    document: {
      slug: current.slug,
      title: draft.action === 'edit' ? (draft.title ?? current.title) : current.title,
    },
  };
}

/**
 * Makes the change on a desk, as publishing it would on the live one. Only ever given a
 * sandbox's desk: the preview's whole point is that the live knowledge base stays as it is.
 */
export async function applyKbDraft(
  desk: Pick<AppContext, 'database' | 'kb'>,
  checked: CheckedKbDraft,
): Promise<void> {
  const { draft } = checked;
  switch (draft.action) {
    case 'edit': {
      const { action: _, id, ...edit } = draft;
      await editDocument(desk, id, edit);
      return;
    }
    case 'add':
      await addDocument(desk, checked.article!);
      return;
    case 'delete':
      await removeDocument(desk, draft.id);
      return;
  }
}

/** A case whose outcome the draft changes. */
export interface PreviewedCase {
  caseId: string;
  kind: TestKind;
  /** Its status on the live knowledge base, and with the draft. */
  before: CaseStatus;
  after: CaseStatus;
  /**
   * Why it fails where it fails: with the draft for a case the draft breaks, on the live
   * knowledge base for one it fixes. Each distinct reason once, over all attempts.
   */
  failures: DeskTestFailure[];
  /** The last reply on the failing side, as the customer would read it. */
  reply: string;
}

export interface KbPreview {
  change: { action: KbDraft['action']; slug: string; title: string };
  /** Cases that pass on the live knowledge base and fail (or turn flaky) with the draft. */
  breaks: PreviewedCase[];
  /** Cases that fail (or are flaky) on the live knowledge base and pass with the draft. */
  fixes: PreviewedCase[];
  summary: {
    n: number;
    k: number;
    model: string;
    live: DeskTestSummary;
    draft: DeskTestSummary;
    /** Cases failing both with and without the draft: not the draft's doing. */
    stillFailing: number;
    content: { live: DeskContentVersion; draft: DeskContentVersion };
    ms: number;
  };
}

/**
 * What the draft does to each case, from the same cases run on the live knowledge base and with
 * the draft. Flaky counts as failing, as in a run's diff: not every attempt passed.
 */
export function compareKbResults(
  live: readonly CaseResult[],
  draft: readonly CaseResult[],
): { breaks: PreviewedCase[]; fixes: PreviewedCase[]; stillFailing: number } {
  const before = new Map(live.map((result) => [result.case.id, result]));
  const breaks: PreviewedCase[] = [];
  const fixes: PreviewedCase[] = [];
  let stillFailing = 0;
  for (const after of draft) {
    const previous = before.get(after.case.id);
    if (!previous) continue;
    const from = statusOf(previous);
    const to = statusOf(after);
    if (from === 'pass' && to !== 'pass') breaks.push(previewed(previous, after, after));
    else if (from !== 'pass' && to === 'pass') fixes.push(previewed(previous, after, previous));
    else if (from !== 'pass') stillFailing++;
  }
  return { breaks, fixes, stillFailing };
}

const statusOf = (result: CaseResult) => caseStatus(result.passes, result.attempts.length);

function previewed(before: CaseResult, after: CaseResult, failing: CaseResult): PreviewedCase {
  const failed = failing.attempts.filter((attempt) => !attempt.passed);
  const failures = new Map<string, DeskTestFailure>();
  for (const failure of failed.flatMap((attempt) => attempt.failures)) {
    failures.set(`${failure.code}\n${failure.message}`, failure);
  }
  return {
    caseId: after.case.id,
    kind: after.case.expect.kind,
    before: statusOf(before),
    after: statusOf(after),
    failures: [...failures.values()],
    reply: failed[0]?.reply ?? '',
  };
}
