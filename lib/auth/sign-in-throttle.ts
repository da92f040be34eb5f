import { createHash } from 'node:crypto';
import type { Cache } from '@/lib/cache';
import type { Config } from '@/lib/config';
import { TandemError } from '@/lib/errors';
import { log } from '@/lib/log';
import {
  clearSlidingWindow,
  peekSlidingWindow,
  slidingWindowLimit,
} from '@/lib/rate-limit/sliding-window';
import { describeWait } from './describe-wait';

/*
 * Failed staff sign-ins are counted per account and per client address in the cache, so every
 * instance sharing Redis (ioredis or Upstash) sees the same counts.
 *
 * Written on the Cache interface with the sliding window the API and widget limits use rather
 * than with a library: rate-limiter-flexible stores in memory or ioredis but has no store for
 * @upstash/redis's REST client, and @upstash/ratelimit works only on @upstash/redis, so no
 * well-kept limiter covers all three cache engines.
 *
 * Every attempt is counted before its password is checked, so a burst of parallel guesses cannot
 * all pass a check made before any of them failed. An attempt that turns out not to be a failure
 * (it succeeded, or was refused without a check) is added to a second, "cleared" count, and
 * failures = attempts − cleared; a success also clears its account's counts altogether.
 */

export type SignInLimits = Config['signInLimits'];

/** How an attempt ended: the password was right, was wrong, or was never checked. */
export type SignInOutcome = 'succeeded' | 'failed' | 'unchecked';

interface Subject {
  kind: 'account' | 'address';
  key: string;
  limit: number;
}

export interface SignInAttempt {
  subjects: Subject[];
  windowSeconds: number;
  now: number;
}

/**
 * Counts a sign-in attempt for `email` from `address`, or refuses it with a 429
 * `rate_limited:sign_in` (details.retryAfterSeconds) when either has too many recent failures;
 * the right password is refused too while throttled.
 */
export async function beginSignIn(
  cache: Cache,
  limits: SignInLimits,
  { email, address }: { email: string | undefined; address: string },
  now = Date.now(),
): Promise<SignInAttempt> {
  const account = email?.trim().toLowerCase();
  const subjects: Subject[] = [
    ...(account
      ? [
          {
            kind: 'account' as const,
            key: `signin:account:${digest(account)}`,
            limit: limits.failuresPerAccount,
          },
        ]
      : []),
    { kind: 'address', key: `signin:address:${digest(address)}`, limit: limits.failuresPerAddress },
  ];
  const attempt: SignInAttempt = { subjects, windowSeconds: limits.windowSeconds, now };
  const window = { windowSeconds: limits.windowSeconds, now };
  let results: Awaited<ReturnType<typeof slidingWindowLimit>>[];
  try {
    results = await Promise.all(
      subjects.map(async (subject) => {
        const cleared = await peekSlidingWindow(cache, clearedKey(subject), window);
        return slidingWindowLimit(cache, subject.key, subject.limit + cleared, window);
      }),
    );
  } catch (error) {
    log.error({ err: error }, 'sign-in throttle unavailable');
    throw new TandemError(
      'unavailable:sign_in',
      'Sign-in is unavailable for a moment. Please try again shortly.',
    );
  }
  const refused = results.filter((result) => !result.allowed);
  if (refused.length === 0) return attempt;

  await finishSignIn(cache, attempt, 'unchecked');
  const retryAfterSeconds = Math.max(...refused.map((result) => result.retryAfterSeconds));
  log.warn(
    { throttled: subjects.filter((_, i) => !results[i]!.allowed).map((s) => s.kind) },
    'staff sign-in throttled',
  );
  throw new TandemError(
    'rate_limited:sign_in',
    `Too many sign-in attempts; try again in ${describeWait(retryAfterSeconds)}.`,
    { retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );
}

/** Records how an attempt counted by {@link beginSignIn} ended. Never throws. */
export async function finishSignIn(
  cache: Cache,
  attempt: SignInAttempt,
  outcome: SignInOutcome,
): Promise<void> {
  if (outcome === 'failed') return;
  const window = { windowSeconds: attempt.windowSeconds, now: attempt.now };
  try {
    await Promise.all(
      attempt.subjects.map(async (subject) => {
        if (outcome === 'succeeded' && subject.kind === 'account') {
          await clearSlidingWindow(cache, subject.key, window);
          await clearSlidingWindow(cache, clearedKey(subject), window);
        } else {
          // Counting one more: no limit applies to the cleared count itself.
          await slidingWindowLimit(cache, clearedKey(subject), Number.POSITIVE_INFINITY, window);
        }
      }),
    );
  } catch (error) {
    // The attempt keeps counting as a failure: safe, at worst a little strict.
    log.warn({ err: error }, 'could not record a sign-in outcome');
  }
}

const clearedKey = (subject: Subject) => `${subject.key}:cleared`;

/** Keys stay short whatever was typed, and hold no email address. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32);
}
