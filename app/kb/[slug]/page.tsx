import { ArrowLeft } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { getDocumentBySlug } from '@/lib/kb/queries';
import { getApp } from '@/lib/server/app';
import { categoryLabel } from '@/lib/text/labels';
import { SearchForm } from '../search-form';
import { ArticleFeedback } from './article-feedback';

type Props = { params: Promise<{ slug: string }> };

async function loadArticle(slug: string) {
  const app = await getApp();
  return getDocumentBySlug(app.database.db, slug);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const article = await loadArticle((await params).slug);
  return {
    title: article?.title ?? 'Article not found',
    description: article?.summary ?? undefined,
  };
}

export default async function ArticlePage({ params }: Props) {
  const article = await loadArticle((await params).slug);
  if (!article) notFound();
  const updated = typeof article.metadata.updated === 'string' ? article.metadata.updated : null;
  return (
    <main>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Link href="/kb" className="flex items-center gap-1 text-sm text-brand-600 hover:underline">
          <ArrowLeft aria-hidden="true" className="size-4" />
          Help center
        </Link>
        <SearchForm />
      </div>
      <article className="prose-answer mt-6 rounded-lg border border-gray-200 bg-white p-6">
        {article.category && (
          <p className="text-xs font-medium uppercase tracking-wide text-ink-500">
            {categoryLabel(article.category)}
          </p>
        )}
        <h1 className="text-3xl font-semibold text-ink-900">{article.title}</h1>
        {updated && <p className="mt-1 text-xs text-ink-500">Updated {updated}</p>}
        <div className="mt-6 space-y-3 leading-relaxed text-ink-700 [&_h2]:mt-8 [&_h2]:text-xl [&_h2]:font-semibold [&_h2]:text-ink-900 [&_h3]:mt-6 [&_h3]:font-semibold [&_h3]:text-ink-900">
          <ReactMarkdown remarkPlugins={[remarkGfm]}>{article.content}</ReactMarkdown>
        </div>
      </article>
      <ArticleFeedback slug={article.slug} />
    </main>
  );
}
