import { DEFAULT_CATEGORY_NAMES } from '@/lib/classify/schema';
import type { Presence } from '@/lib/staff/presence-rules';

/**
 * A stored key as people read it, in sentence case: `orders_shipping`, `orders-shipping` and
 * `ordersShipping` all become "Orders shipping", `plan` "Plan". Every page that shows a stored
 * key (a category, a status, a context field) names it through here, so one key has one spelling.
 */
export function humanizeKey(key: string): string {
  const words = key
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\s-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : '';
}

/** The key a category is stored under: the taxonomy's snake_case, whatever the spelling. */
export function categoryKey(category: string): string {
  return category
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

/**
 * A category's name: the workspace's own (admins rename categories) when the caller has the
 * taxonomy, else the seed taxonomy's, else the key in words.
 */
export function categoryLabel(category: string, names?: ReadonlyMap<string, string>): string {
  const key = categoryKey(category);
  return (
    names?.get(key) ??
    DEFAULT_CATEGORY_NAMES[key as keyof typeof DEFAULT_CATEGORY_NAMES] ??
    humanizeKey(category)
  );
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** An ISO 639 code as its English name ("zh" → "Chinese"), or the code when unknown. */
export function languageLabel(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

const PRESENCE_LABELS: Record<Presence, string> = {
  online: 'Online',
  idle: 'Idle',
  away: 'Away',
  offline: 'Offline',
};

/** Whether an agent is there (lib/staff/presence-rules.ts), as every page names it. */
export function presenceLabel(presence: Presence): string {
  return PRESENCE_LABELS[presence];
}
