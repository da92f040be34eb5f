'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { accentStyle } from './accent';
import { ChatPanel, type ChatPanelProps } from './chat-panel';
import { useWidgetStrings } from './strings';
import { useWidgetStore } from './widget-store';

/** The floating chat button and panel that sit on a customer's site. */
export function ChatLauncher(props: ChatPanelProps) {
  const open = useWidgetStore((s) => s.open);
  const setOpen = useWidgetStore((s) => s.setOpen);
  const accent = accentStyle(props.accentColour);
  const { t } = useWidgetStrings();
  return (
    <Dialog.Root open={open} onOpenChange={setOpen} modal={false}>
      <Dialog.Trigger
        aria-label={open ? t.closeChat : t.chatWithUs}
        style={accent}
        className="fixed right-5 bottom-5 z-40 flex h-14 w-14 items-center justify-center rounded-full bg-(--tandem-accent) text-white shadow-lg transition hover:bg-(--tandem-accent-strong)"
      >
        <svg
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          className="h-6 w-6"
          aria-hidden="true"
        >
          {open ? (
            <path d="M6 6l12 12M18 6L6 18" strokeLinecap="round" />
          ) : (
            <path d="M4 5h16v11H8l-4 4V5z" strokeLinejoin="round" />
          )}
        </svg>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Content
          onInteractOutside={(e) => e.preventDefault()}
          style={accent}
          className="fixed right-5 bottom-24 z-50 flex h-[min(640px,calc(100vh-8rem))] w-[min(400px,calc(100vw-2.5rem))] flex-col overflow-hidden rounded-2xl border border-gray-200 bg-white shadow-2xl"
        >
          <header className="flex items-center gap-3 bg-(--tandem-accent) px-4 py-3 text-white">
            <span
              aria-hidden="true"
              className="flex h-8 w-8 items-center justify-center rounded-full bg-white/20 text-sm font-semibold"
            >
              {props.botName.trim().charAt(0).toUpperCase()}
            </span>
            <div>
              <Dialog.Title className="text-sm font-semibold">{props.botName}</Dialog.Title>
              <Dialog.Description className="text-xs text-white/80">{t.tagline}</Dialog.Description>
            </div>
          </header>
          <ChatPanel {...props} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
