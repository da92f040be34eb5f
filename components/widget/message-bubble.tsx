import { ThumbsDown, ThumbsUp } from 'lucide-react';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { useWidgetStrings } from './strings';
import { widgetFetch } from './widget-session';
import { useWidgetStore } from './widget-store';

export interface MessageBubbleProps {
  author: 'customer' | 'ai' | 'agent' | 'system';
  name: string;
  text: string;
  sources: { url: string; title: string }[];
  files?: { url: string; name: string }[];
  /** Shown under an answer the bot was unsure of: hands the conversation to a person. */
  onAskForPerson?: () => void;
  /** Thumbs up or down on a bot answer; `rated` is the customer's vote so far. */
  onRate?: (helpful: boolean) => void;
  rated?: boolean | null;
  /** A message of the customer's that did not reach us: why, and a way to send it again. */
  failed?: { reason: string; onRetry?: () => void };
}

// Answers cite passages as [n] for the pipeline; customers see the article list instead.
const stripCitationMarkers = (text: string) => text.replace(/\s?\[\d{1,2}\]/g, '');

export function MessageBubble({
  author,
  name,
  text,
  sources,
  files = [],
  onAskForPerson,
  onRate,
  rated = null,
  failed,
}: MessageBubbleProps) {
  const mine = author === 'customer';
  const { t } = useWidgetStrings();
  return (
    <article
      aria-label={`${name} ${t.said}`}
      data-author={author}
      className={`flex flex-col ${mine ? 'items-end' : 'items-start'}`}
    >
      <span className="mb-1 text-xs text-ink-500">{name}</span>
      <div
        className={`prose-answer max-w-[85%] rounded-2xl px-3.5 py-2 text-sm leading-relaxed ${
          mine
            ? 'rounded-br-sm bg-(--tandem-accent) text-white'
            : 'rounded-bl-sm bg-gray-100 text-ink-900'
        }`}
      >
        {files.length > 0 && (
          <ul aria-label={t.attachedFiles} className="mb-1 flex flex-wrap gap-1">
            {files.map((file) => (
              <li key={file.url}>
                <a
                  href={file.url}
                  download={file.name}
                  onClick={(event) => {
                    // Without a cookie (a cross-site iframe) the link alone would be refused.
                    if (file.url.startsWith('/') && useWidgetStore.getState().session) {
                      event.preventDefault();
                      void downloadWithSession(file.url, file.name);
                    }
                  }}
                  className="rounded bg-white/20 px-2 py-0.5 text-xs underline"
                >
                  {file.name}
                </a>
              </li>
            ))}
          </ul>
        )}
        {mine ? (
          <p className="whitespace-pre-wrap">{text}</p>
        ) : (
          <ReactMarkdown
            remarkPlugins={[remarkGfm]}
            components={{
              a: ({ href, children }) => (
                <a href={href} target="_blank" rel="noreferrer noopener">
                  {children}
                </a>
              ),
            }}
          >
            {stripCitationMarkers(text)}
          </ReactMarkdown>
        )}
        {sources.length > 0 && (
          <nav aria-label={t.sources} className="mt-2 border-t border-gray-200 pt-2">
            <p className="text-xs font-medium text-ink-500">{t.sources}</p>
            <ul className="mt-1 space-y-0.5">
              {sources.map((source) => (
                <li key={source.url}>
                  <a
                    href={source.url}
                    target="_blank"
                    rel="noreferrer"
                    className="text-xs text-(--tandem-accent) underline"
                  >
                    {source.title}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </div>
      {failed && (
        <div
          role="alert"
          className="mt-1 flex max-w-[85%] flex-wrap items-center justify-end gap-x-2 text-xs text-red-700"
        >
          <span>
            {t.notSent}: {failed.reason}
          </span>
          {failed.onRetry && (
            <button
              type="button"
              onClick={failed.onRetry}
              className="rounded border border-red-300 px-2 py-0.5 font-medium hover:bg-red-50"
            >
              {t.retry}
            </button>
          )}
        </div>
      )}
      {onRate && (
        <div className="mt-1 flex gap-1 text-xs text-ink-500">
          <button
            type="button"
            aria-label={t.helpful}
            aria-pressed={rated === true}
            onClick={() => onRate(true)}
            className={`rounded px-1.5 py-0.5 hover:bg-gray-100 ${rated === true ? 'bg-green-50 text-green-700' : ''}`}
          >
            <ThumbsUp aria-hidden="true" className="size-3.5" />
          </button>
          <button
            type="button"
            aria-label={t.notHelpful}
            aria-pressed={rated === false}
            onClick={() => onRate(false)}
            className={`rounded px-1.5 py-0.5 hover:bg-gray-100 ${rated === false ? 'bg-rose-50 text-rose-700' : ''}`}
          >
            <ThumbsDown aria-hidden="true" className="size-3.5" />
          </button>
        </div>
      )}
      {onAskForPerson && (
        <button
          type="button"
          onClick={onAskForPerson}
          className="mt-1.5 rounded-full border border-(--tandem-accent) px-3 py-1 text-xs font-medium text-(--tandem-accent) hover:bg-(--tandem-accent-soft)"
        >
          {t.talkToPerson}
        </button>
      )}
    </article>
  );
}

async function downloadWithSession(url: string, name: string): Promise<void> {
  const response = await widgetFetch(url);
  if (!response.ok) return;
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.click();
  // Revoked once the browser has surely read it; a few bytes of memory until then.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
