'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { MessageCircle, X } from 'lucide-react';
import { useEffect } from 'react';
import { accentStyle } from './accent';
import { BrandMark } from './brand-mark';
import { ChatPanel, type ChatPanelProps } from './chat-panel';
import { focusFirstInput } from './focus-first-input';
import { useWidgetStrings } from './strings';
import { useWidgetStore } from './widget-store';

/**
 * The floating chat button and panel that sit on a customer's site. On a narrow screen the open
 * panel takes the whole screen, with its own close button in place of the covered chat button.
 */
export function ChatLauncher({ logo = null, ...props }: ChatPanelProps & { logo?: string | null }) {
  const open = useWidgetStore((s) => s.open);
  const setOpen = useWidgetStore((s) => s.setOpen);
  const accent = accentStyle(props.accentColour);
  const { t } = useWidgetStrings();
  useEffect(() => {
    if (!open) return;
    const frame = requestAnimationFrame(() =>
      focusFirstInput(document.querySelector('[data-tandem-chat-panel]')),
    );
    return () => cancelAnimationFrame(frame);
  }, [open]);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen} modal={false}>
      <Dialog.Trigger
        aria-label={open ? t.closeChat : t.chatWithUs}
        style={accent}
        className={`fixed right-5 bottom-5 z-40 flex h-14 w-14 items-center justify-center rounded-full bg-(--tandem-accent) text-white shadow-lg transition hover:bg-(--tandem-accent-strong) ${open ? 'max-sm:hidden' : ''}`}
      >
        {open ? (
          <X aria-hidden="true" className="size-6" />
        ) : (
          <MessageCircle aria-hidden="true" className="size-6" />
        )}
      </Dialog.Trigger>
      {/* Kept mounted while closed, so reopening shows the conversation as it was left. */}
      <Dialog.Portal forceMount>
        <Dialog.Content
          forceMount
          onInteractOutside={(e) => e.preventDefault()}
          // Radix would focus the first control (the language switch); the customer came to type.
          onOpenAutoFocus={(e) => e.preventDefault()}
          data-tandem-chat-panel=""
          style={accent}
          className="fixed inset-0 z-50 flex data-[state=closed]:hidden flex-col overflow-hidden bg-white sm:inset-auto sm:right-5 sm:bottom-24 sm:h-[min(640px,calc(100vh-8rem))] sm:w-[min(400px,calc(100vw-2.5rem))] sm:rounded-2xl sm:border sm:border-gray-200 sm:shadow-2xl"
        >
          <header className="flex items-center gap-3 bg-(--tandem-accent) px-4 py-3 text-white">
            <BrandMark logo={logo} botName={props.botName} />
            <div className="min-w-0 flex-1">
              <Dialog.Title className="text-sm font-semibold">{props.botName}</Dialog.Title>
              <Dialog.Description className="text-xs text-white">{t.tagline}</Dialog.Description>
            </div>
            <Dialog.Close
              aria-label={t.closeChat}
              className="flex h-10 w-10 shrink-0 items-center justify-center rounded-full hover:bg-white/20 sm:hidden"
            >
              <X aria-hidden="true" className="size-5" />
            </Dialog.Close>
          </header>
          <ChatPanel {...props} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
