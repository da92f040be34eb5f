import { redirect } from 'next/navigation';
import { staffForPage } from '@/app/page-guard';

/** Where staff land after signing in with no page in mind: admins on the dashboard, agents on the console. */
export default async function StaffLanding() {
  const staff = await staffForPage('/staff');
  redirect(staff.role === 'admin' ? '/admin' : '/console');
}
