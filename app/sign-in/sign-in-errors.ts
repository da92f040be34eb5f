import { describeWait } from '@/lib/auth/describe-wait';

export const CREDENTIALS_MISMATCH =
  'That email and password do not match an agent or admin account.';

const BY_NAME: Record<string, string> = {
  CredentialsSignin: CREDENTIALS_MISMATCH,
  AccountDeactivated: 'This account has been deactivated. Ask an admin to reactivate it.',
};

/** What the page says for next-auth's `?error=` (where it sends a browser without scripts). */
export function describeSignInError(name: string): string {
  return Object.hasOwn(BY_NAME, name) ? BY_NAME[name]! : 'Sign-in did not work. Please try again.';
}

/** What the form says when sign-in is refused: the server's words, or how long to wait. */
export function describeRefusal(
  status: number,
  retryAfter: string | null,
  message: string | undefined,
): string {
  if (status === 429) {
    const seconds = Number(retryAfter);
    return Number.isFinite(seconds) && seconds > 0
      ? `Too many attempts; try again in ${describeWait(seconds)}.`
      : (message ?? 'Too many attempts; try again later.');
  }
  if (status === 401) return message ?? CREDENTIALS_MISMATCH;
  return message ?? `Sign-in failed (${status}). Please try again.`;
}
