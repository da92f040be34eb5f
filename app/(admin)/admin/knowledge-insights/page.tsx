import type { Metadata } from 'next';
import { adminForPage } from '@/app/page-guard';
import { DraftArticle } from '@/components/admin/draft-article';
import { RangePicker, rangeOrDefault } from '@/components/admin/range-picker';
import { articleUsefulness, knowledgeGapTopics } from '@/lib/analytics/knowledge-insights';
import { parseDateRange } from '@/lib/analytics/range';
import { countArticleFeedback } from '@/lib/kb/article-feedback';
import { getApp } from '@/lib/server/app';
import { getAssistantIdentity } from '@/lib/settings/settings';
import { smallTalkReply } from '@/lib/turn/small-talk';

export const metadata: Metadata = { title: 'Knowledge insights' };

const MAX_TOPICS = 30;

/** Where the knowledge base fails: unanswered questions by topic, and how each article does. */
export default async function KnowledgeInsightsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  if (!(await adminForPage('/admin/knowledge-insights'))) return null;
  const { range, error } = rangeOrDefault(parseDateRange, await searchParams);
  const app = await getApp();
  const { db } = app.database;
  const identity = await getAssistantIdentity(db);
  const [{ topics, excluded }, articles, readerVotes] = await Promise.all([
    knowledgeGapTopics(app, range, {
      // The turn's own test: a message that is only a greeting, thanks or goodbye.
      isSmallTalk: (question) => smallTalkReply(question, 'en', identity) !== null,
    }),
    articleUsefulness(db, range),
    countArticleFeedback(db),
  ]);
  const left = excluded.smallTalk + excluded.personRequests + excluded.answeredNow;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-xl font-semibold">Knowledge insights</h1>
        <RangePicker path="/admin/knowledge-insights" range={range} />
      </div>
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {error} Showing the last 30 days.
        </p>
      )}
      <section aria-label="Content gaps" className="space-y-3">
        <h2 className="font-medium">Content gaps: questions the bot could not answer</h2>
        {left > 0 && (
          <p className="text-sm text-ink-500">
            Not counted as gaps: {excluded.smallTalk} greetings and other small talk,{' '}
            {excluded.personRequests} requests for a person, {excluded.answeredNow} questions the
            knowledge base now answers.
          </p>
        )}
        {topics.length === 0 ? (
          <p className="text-sm text-ink-500">No unanswered questions in this range.</p>
        ) : (
          <ol className="space-y-3">
            {topics.slice(0, MAX_TOPICS).map((topic) => (
              <li key={topic.label} className="rounded-lg border border-gray-200 bg-white p-4">
                <div className="flex flex-wrap items-baseline gap-2">
                  <h3 className="font-medium">{topic.label}</h3>
                  <span className="text-sm text-ink-500">
                    {topic.count} questions · {topic.abstained} unsure answers · {topic.escalated}{' '}
                    escalations
                    {topic.categories.length ? ` · ${topic.categories.join(', ')}` : ''}
                  </span>
                </div>
                <ul className="my-2 list-disc pl-5 text-sm">
                  {topic.examples.map((q) => (
                    <li key={q}>{q}</li>
                  ))}
                </ul>
                <DraftArticle
                  topic={{
                    label: topic.label,
                    examples: topic.examples,
                    categories: topic.categories,
                  }}
                />
              </li>
            ))}
          </ol>
        )}
      </section>
      <section
        aria-label="Article usefulness"
        className="rounded-lg border border-gray-200 bg-white p-4"
      >
        <h2 className="mb-2 font-medium">Articles: how answers citing them ended</h2>
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-ink-500">
              <th className="py-1">Article</th>
              <th>Cited</th>
              <th>Conversations</th>
              <th>Resolved by AI</th>
              <th>Escalated</th>
              <th>Answer helpful / not</th>
            </tr>
          </thead>
          <tbody>
            {articles.map((a) => (
              <tr key={a.id} className="border-t">
                <td className="py-1">
                  <a href={`/kb/${a.slug}`} className="text-brand-600 underline">
                    {a.title}
                  </a>
                </td>
                <td>{a.citations}</td>
                <td>{a.conversations}</td>
                <td>
                  {a.conversations ? `${Math.round((a.aiResolved / a.conversations) * 100)}%` : '—'}
                </td>
                <td>
                  {a.conversations ? `${Math.round((a.escalated / a.conversations) * 100)}%` : '—'}
                </td>
                <td>
                  {a.helpful} / {a.notHelpful}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section
        aria-label="Reader feedback"
        className="rounded-lg border border-gray-200 bg-white p-4"
      >
        <h2 className="font-medium">Help center: “Was this helpful?”</h2>
        <p className="mb-2 text-xs text-ink-500">
          Votes by readers of the help-center pages, since the articles were published; a reader’s
          second vote replaces the first.
        </p>
        {readerVotes.length === 0 ? (
          <p className="text-sm text-ink-500">No reader has rated an article yet.</p>
        ) : (
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-ink-500">
                <th className="py-1">Article</th>
                <th>Yes</th>
                <th>No</th>
                <th>Helpful</th>
              </tr>
            </thead>
            <tbody>
              {readerVotes.map((v) => (
                <tr key={v.documentId} className="border-t" data-article={v.slug}>
                  <td className="py-1">
                    <a href={`/kb/${v.slug}`} className="text-brand-600 underline">
                      {v.title}
                    </a>
                  </td>
                  <td>{v.helpful}</td>
                  <td>{v.notHelpful}</td>
                  <td>{Math.round((v.helpful / (v.helpful + v.notHelpful)) * 100)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
