'use client';

import { Bell, BellOff } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueueItem } from '@/app/api/console/_lib/queue';
import { type ConsoleEvent, useConsoleEvents } from './console-events';
import { type ConsoleNotice, notificationFor } from './notification-for';

/** The agent's choice, per browser: the permission alone would turn them on in every tab for good. */
const CHOICE_KEY = 'tandem:console-notifications';

type Support = 'unknown' | 'unsupported' | NotificationPermission;

function readChoice(): boolean {
  try {
    return window.localStorage.getItem(CHOICE_KEY) === 'on';
  } catch {
    return false;
  }
}

function saveChoice(on: boolean) {
  try {
    window.localStorage.setItem(CHOICE_KEY, on ? 'on' : 'off');
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

/**
 * Browser notifications while the console's tab is hidden: a conversation newly handed to the
 * team, and a customer's message in a conversation this agent holds. The browser's permission is
 * asked from the agent's click on the switch, as browsers require. Each conversation has one
 * notification at a time (its tag), however many console tabs are open.
 */
export function ConsoleNotifications() {
  const [support, setSupport] = useState<Support>('unknown');
  const [on, setOn] = useState(false);
  const held = useRef(new Map<string, string>());
  const refresh = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const router = useRouter();

  useEffect(() => {
    if (!('Notification' in window)) return setSupport('unsupported');
    setSupport(Notification.permission);
    setOn(Notification.permission === 'granted' && readChoice());
  }, []);

  // The conversations this agent holds, by customer name: whose messages to announce.
  const loadHeld = useCallback(async () => {
    const response = await fetch('/api/console/queue?filter=mine', { cache: 'no-store' });
    if (!response.ok) return;
    const { items } = (await response.json()) as { items: QueueItem[] };
    held.current = new Map(items.map((i) => [i.id, i.customerName]));
  }, []);

  useEffect(() => {
    if (on) void loadHeld();
  }, [on, loadHeld]);

  const show = useCallback(
    ({ tag, title, body, conversationId }: ConsoleNotice) => {
      const notification = new Notification(title, { body, tag });
      notification.onclick = () => {
        window.focus();
        router.push(`/console/conversations/${conversationId}`);
        notification.close();
      };
    },
    [router],
  );

  useConsoleEvents((event: ConsoleEvent) => {
    if (!on) return;
    // Taken over, transferred, handed back or resolved: who holds what may have changed.
    if (event.type === 'conversation.updated' || event.type === 'conversation.escalated') {
      clearTimeout(refresh.current);
      refresh.current = setTimeout(() => void loadHeld(), 200);
    }
    if (document.visibilityState !== 'hidden' || Notification.permission !== 'granted') return;
    const notice = notificationFor(event, held.current);
    if (notice) show(notice);
  });

  async function toggle() {
    if (on) {
      setOn(false);
      saveChoice(false);
      return;
    }
    const permission =
      Notification.permission === 'default'
        ? await Notification.requestPermission()
        : Notification.permission;
    setSupport(permission);
    if (permission === 'granted') {
      setOn(true);
      saveChoice(true);
    }
  }

  if (support === 'unknown' || support === 'unsupported') return null;
  const blocked = support === 'denied';
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={() => void toggle()}
      disabled={blocked}
      title={
        blocked
          ? 'Notifications are blocked for this site in the browser’s settings.'
          : 'Notify me of new hand-offs and of messages in my conversations while this tab is hidden.'
      }
      className="flex items-center gap-1.5 rounded-md border border-gray-300 bg-white px-2 py-1 text-sm hover:bg-gray-100 disabled:cursor-not-allowed disabled:text-ink-500"
    >
      {on ? (
        <Bell aria-hidden="true" className="size-4" />
      ) : (
        <BellOff aria-hidden="true" className="size-4" />
      )}
      {blocked ? 'Notifications blocked' : 'Notifications'}
    </button>
  );
}
