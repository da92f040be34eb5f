import type { Metadata } from 'next';
import { FramedChat } from '@/components/widget/framed-chat';
import { loadWidgetProps } from '../widget-props';

export const metadata: Metadata = { title: 'Chat' };

/**
 * The chat alone, full-frame, for sites that embed it in an iframe. `?embed=loader` is the
 * frame the loader script (/embed.js) opens: it adds a close button and keeps the session
 * through the embedding page (see components/widget/widget-session.ts).
 */
export default async function WidgetPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { externalId: _, ...props } = await loadWidgetProps();
  const loader = (await searchParams).embed === 'loader';
  return (
    <main className="flex h-dvh flex-col">
      <h1 className="sr-only">Chat with {props.botName}</h1>
      <FramedChat {...props} loader={loader} />
    </main>
  );
}
