import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { getDocumentBySlug } from '@/lib/kb/queries';
import { getApp } from '@/lib/server/app';

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
    <main className="mx-auto max-w-3xl px-6 py-12">
      <Link href="/kb" className="text-sm text-brand-600 hover:underline">
        ← Help center
      </Link>
      <article className="prose-answer mt-4">
        <h1 className="text-3xl font-semibold text-ink-900">{article.title}</h1>
        {updated && <p className="mt-1 text-xs text-ink-500">Updated {updated}</p>}
        <div className="mt-6 space-y-3 leading-relaxed text-ink-700 [&_h2]:mt-8 [&_h2]:text-xl [&_h2]:font-semibold [&_h2]:text-ink-900 [&_h3]:mt-6 [&_h3]:font-semibold [&_h3]:text-ink-900">
          <ReactMarkdown remarkPlugins={[remarkGfm]}>{article.content}</ReactMarkdown>
        </div>
      </article>
    </main>
  );
}
