'use client';

import { signOut } from 'next-auth/react';

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={() => void signOut({ callbackUrl: '/sign-in' })}
      className="rounded-md border border-gray-300 px-2.5 py-1 text-sm hover:bg-gray-100"
    >
      Sign out
    </button>
  );
}
