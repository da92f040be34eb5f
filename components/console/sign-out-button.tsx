'use client';

import { signOut } from 'next-auth/react';

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={async () => {
        // next-auth would redirect to its configured URL; staying on this host works without one.
        await signOut({ redirect: false });
        window.location.assign('/sign-in');
      }}
      className="rounded-md border border-gray-300 px-2.5 py-1 text-sm hover:bg-gray-100"
    >
      Sign out
    </button>
  );
}
