/**
 * `localStorage` where the browser allows it, memory otherwise. Inside an iframe on another site
 * Chromium (and Safari, and Firefox in strict mode) refuses third-party storage: merely reading
 * `window.localStorage` throws "Access is denied", which must never take the chat down.
 */
const memory = new Map<string, string>();

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

export function readStored(key: string): string | null {
  try {
    const value = storage()?.getItem(key);
    if (value !== null && value !== undefined) return value;
  } catch {
    // Blocked between the property read and the call (quota, policy change): memory answers.
  }
  return memory.get(key) ?? null;
}

export function writeStored(key: string, value: string): void {
  memory.set(key, value);
  try {
    storage()?.setItem(key, value);
  } catch {
    // Kept in memory for this page's life.
  }
}
