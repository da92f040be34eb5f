'use client';

import { useState } from 'react';

/** Online agents are offered new escalations; customers are told someone will join shortly. */
export function PresenceToggle({ initial }: { initial: 'online' | 'away' }) {
  const [availability, setAvailability] = useState(initial);
  async function change(next: 'online' | 'away') {
    setAvailability(next);
    const response = await fetch('/api/console/presence', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ availability: next }),
    });
    if (!response.ok) setAvailability(availability);
  }
  return (
    <label className="flex items-center gap-2">
      <span
        aria-hidden="true"
        className={`h-2.5 w-2.5 rounded-full ${availability === 'online' ? 'bg-green-500' : 'bg-gray-400'}`}
      />
      <select
        aria-label="Availability"
        value={availability}
        onChange={(e) => void change(e.target.value as 'online' | 'away')}
        className="rounded-md border border-gray-300 bg-white px-2 py-1 text-sm"
      >
        <option value="online">Online</option>
        <option value="away">Away</option>
      </select>
    </label>
  );
}
