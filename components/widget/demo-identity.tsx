'use client';

import { useState } from 'react';

export interface DemoShopper {
  userId: string;
  name: string;
  email: string;
  plan: string;
  /** Signed by the shop's server: here, the demo page's server component. */
  userHash: string;
}

/** The demo shop's "signed in as" control: how a real site would pass a verified customer. */
export function DemoIdentity({
  shoppers,
  current,
}: {
  shoppers: DemoShopper[];
  current: string | null;
}) {
  const [busy, setBusy] = useState(false);

  async function switchTo(userId: string) {
    setBusy(true);
    const shopper = shoppers.find((s) => s.userId === userId);
    await fetch(
      '/api/widget/identify',
      shopper
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              userId: shopper.userId,
              userHash: shopper.userHash,
              name: shopper.name,
              email: shopper.email,
              context: { plan: shopper.plan },
            }),
          }
        : { method: 'DELETE' },
    );
    window.location.reload();
  }

  return (
    <label className="flex flex-wrap items-center gap-2 text-xs text-ink-500">
      Demo: signed in as
      <select
        value={current ?? ''}
        disabled={busy}
        onChange={(e) => void switchTo(e.target.value)}
        className="rounded border border-gray-300 bg-white px-2 py-1 text-xs text-ink-700"
      >
        <option value="">Guest</option>
        {shoppers.map((s) => (
          <option key={s.userId} value={s.userId}>
            {s.name} ({s.plan})
          </option>
        ))}
      </select>
    </label>
  );
}
