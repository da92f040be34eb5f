'use client';

import { useWidgetStrings } from './strings';

export function TypingIndicator({ name }: { name: string }) {
  const { t } = useWidgetStrings();
  return (
    <div role="status" aria-label={t.isTyping(name)} className="flex items-center gap-1 px-1 py-2">
      {[0, 1, 2].map((i) => (
        <span
          key={i}
          className="h-2 w-2 animate-blink rounded-full bg-ink-500"
          style={{ animationDelay: `${i * 0.2}s` }}
        />
      ))}
    </div>
  );
}
