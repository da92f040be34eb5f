'use client';

import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { secondaryButtonClass } from '../use-action';

/** Copies `text` to the clipboard, saying so beside the button (to screen readers too). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // Clipboard access needs a secure context; the snippet stays selectable by hand.
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  }
  const Icon = state === 'copied' ? Check : Copy;
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        aria-label={label}
        onClick={copy}
        className={`${secondaryButtonClass} inline-flex items-center gap-1`}
      >
        <Icon aria-hidden="true" className="size-3.5" />
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span aria-live="polite" className="text-xs text-ink-500">
        {state === 'copied'
          ? 'Copied to the clipboard.'
          : state === 'failed'
            ? 'Select the text and copy it.'
            : ''}
      </span>
    </span>
  );
}
