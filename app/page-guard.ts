import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { currentStaff } from '@/lib/auth/staff-session';
import { getApp } from '@/lib/server/app';
import type { StaffUser } from '@/lib/staff/queries';

/** For console and admin pages: the signed-in staff member, or a redirect to sign in. */
export async function staffForPage(path: string): Promise<StaffUser> {
  // Reading cookies first marks the page as per-request, so `next build` never opens the database.
  const jar = await cookies();
  const staff = await currentStaff(await getApp(), jar);
  if (!staff) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  return staff;
}

/** For admin pages: the admin, or null for an agent (the admin layout explains the refusal). */
export async function adminForPage(path: string): Promise<StaffUser | null> {
  const staff = await staffForPage(path);
  return staff.role === 'admin' ? staff : null;
}
