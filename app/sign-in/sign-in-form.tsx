'use client';

import { type FormEvent, useState } from 'react';
import { describeRefusal } from './sign-in-errors';

/**
 * Posts the form to next-auth's credentials callback itself (next-auth's `signIn()` cannot read
 * a refusal that is not its own redirect), so a throttled sign-in can say how long to wait.
 */
export function SignInForm({ next, initialError }: { next: string; initialError?: string }) {
  const [error, setError] = useState<string | null>(initialError ?? null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const csrf = (await (await fetch('/api/auth/csrf', { cache: 'no-store' })).json()) as {
        csrfToken?: string;
      };
      const response = await fetch('/api/auth/callback/credentials', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          email: String(form.get('email') ?? ''),
          password: String(form.get('password') ?? ''),
          csrfToken: csrf.csrfToken ?? '',
          callbackUrl: next,
          json: 'true',
        }),
      });
      const result = (await response.json().catch(() => null)) as {
        url?: string;
        error?: { message?: string };
      } | null;
      if (
        response.ok &&
        result?.url &&
        !new URL(result.url, window.location.href).searchParams.has('error')
      ) {
        window.location.assign(next);
        return;
      }
      setError(
        describeRefusal(
          response.status,
          response.headers.get('retry-after'),
          result?.error?.message,
        ),
      );
    } catch {
      setError('Tandem could not be reached. Check your connection and try again.');
    }
    setBusy(false);
  }

  return (
    <form onSubmit={submit} className="mt-5 space-y-4">
      <label className="block text-sm">
        <span className="font-medium">Email</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          className="mt-1 w-full rounded-md border border-gray-300 px-3 py-2 focus:border-brand-500 focus:outline-none"
        />
      </label>
      <label className="block text-sm">
        <span className="font-medium">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 w-full rounded-md border border-gray-300 px-3 py-2 focus:border-brand-500 focus:outline-none"
        />
      </label>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
      >
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
