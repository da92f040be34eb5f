'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import {
  type Availability,
  HEARTBEAT_SECONDS,
  MAX_IDLE_SECONDS,
  type Presence,
} from '@/lib/staff/presence-rules';

/** What counts as the agent using the console. */
const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

const SHOWN: Record<Presence, { dot: string; note: string | null }> = {
  online: { dot: 'bg-green-500', note: null },
  idle: { dot: 'bg-amber-500', note: 'Idle — customers are told no one is online' },
  away: { dot: 'bg-gray-400', note: null },
  offline: { dot: 'bg-gray-400', note: 'Reconnecting…' },
};

/**
 * The agent's availability, and the heartbeat that makes it true: while this console is open it
 * tells the server so every few seconds, with how long since the agent last touched it, so an
 * agent is online when they open the console and idle when they leave it alone (the server
 * decides, by the admins' idle setting). "Away" is the agent's own and no heartbeat undoes it.
 */
export function PresenceToggle({ initial }: { initial: Availability }) {
  const [availability, setAvailability] = useState(initial);
  // Opening the console is using it: online until the server says otherwise.
  const [presence, setPresence] = useState<Presence>(initial === 'away' ? 'away' : 'online');
  const lastInput = useRef(Date.now());
  const presenceNow = useRef(presence);
  presenceNow.current = presence;
  const beating = useRef(false);

  const apply = useCallback(async (response: Response) => {
    if (!response.ok) return false;
    const state = (await response.json()) as { availability: Availability; presence: Presence };
    setAvailability(state.availability);
    setPresence(state.presence);
    return true;
  }, []);

  const beat = useCallback(async () => {
    if (beating.current) return;
    beating.current = true;
    const idleSeconds = Math.min(
      MAX_IDLE_SECONDS,
      Math.floor((Date.now() - lastInput.current) / 1000),
    );
    try {
      const response = await fetch('/api/console/presence', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idleSeconds }),
      });
      // A 401 is a session that ended: the queue sends the agent to sign in.
      if (!(await apply(response)) && response.status !== 401) setPresence('offline');
    } catch {
      setPresence('offline');
    } finally {
      beating.current = false;
    }
  }, [apply]);

  useEffect(() => {
    void beat();
    const timer = setInterval(() => void beat(), HEARTBEAT_SECONDS * 1000);
    const onInput = () => {
      lastInput.current = Date.now();
      // Back from idle: online now, not at the next beat.
      if (presenceNow.current === 'idle') void beat();
    };
    for (const type of INPUT_EVENTS) {
      window.addEventListener(type, onInput, { capture: true, passive: true });
    }
    return () => {
      clearInterval(timer);
      for (const type of INPUT_EVENTS) window.removeEventListener(type, onInput, { capture: true });
    };
  }, [beat]);

  async function change(next: Availability) {
    const before = { availability, presence };
    setAvailability(next);
    setPresence(next === 'away' ? 'away' : 'online');
    const response = await fetch('/api/console/presence', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ availability: next }),
    }).catch(() => null);
    if (!response || !(await apply(response))) {
      setAvailability(before.availability);
      setPresence(before.presence);
    }
  }

  const shown = SHOWN[presence];
  return (
    <div className="flex items-center gap-2" data-testid="presence" data-presence={presence}>
      <span aria-hidden="true" className={`h-2.5 w-2.5 rounded-full ${shown.dot}`} />
      <select
        aria-label="Availability"
        value={availability}
        onChange={(e) => void change(e.target.value as Availability)}
        className="rounded-md border border-gray-300 bg-white px-2 py-1 text-sm"
      >
        <option value="online">Online</option>
        <option value="away">Away</option>
      </select>
      {shown.note && (
        <span role="status" className="text-xs text-amber-800">
          {shown.note}
        </span>
      )}
    </div>
  );
}
