import type { Metadata } from 'next';
import { describeSignInError } from './sign-in-errors';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

/** Agents and admins sign in here; customers never need to. */
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  // Only paths on this site: a sign-in link must not send anyone elsewhere.
  const next =
    typeof callbackUrl === 'string' && callbackUrl.startsWith('/') && !callbackUrl.startsWith('//')
      ? callbackUrl
      : '/staff';
  const initialError = typeof error === 'string' ? describeSignInError(error) : undefined;
  return (
    <main className="flex min-h-dvh items-center justify-center bg-gray-50 px-4">
      <div className="w-full max-w-sm rounded-xl border border-gray-200 bg-white p-6 shadow-sm">
        <h1 className="text-lg font-semibold">Sign in to Tandem</h1>
        <p className="mt-1 text-sm text-ink-500">For support agents and admins.</p>
        <SignInForm next={next} initialError={initialError} />
      </div>
    </main>
  );
}
