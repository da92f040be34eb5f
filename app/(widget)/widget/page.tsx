import type { Metadata } from 'next';
import { ChatPanel } from '@/components/widget/chat-panel';
import { loadWidgetProps } from '../widget-props';

export const metadata: Metadata = { title: 'Chat' };

/** The chat alone, full-frame, for sites that embed it in an iframe. */
export default async function WidgetPage() {
  const { externalId: _, ...props } = await loadWidgetProps();
  return (
    <main className="flex h-dvh flex-col">
      <h1 className="sr-only">Chat with {props.botName}</h1>
      <ChatPanel {...props} />
    </main>
  );
}
