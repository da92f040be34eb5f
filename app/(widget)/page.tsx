import { connection } from 'next/server';
import { isDemoActive } from '@/db/seed/demo-state';
import { getApp } from '@/lib/server/app';
import { DemoSite } from './demo-site';
import { Landing } from './landing';

/**
 * The desk's front page: the demo shop on a desk running the demo (TANDEM_DEMO), else a plain
 * page of the business the settings name, with its help center, the chat and staff sign-in.
 */
export default async function HomePage() {
  // Per request, so `next build` never opens the database.
  await connection();
  const app = await getApp();
  return (await isDemoActive(app.database.db, app.config.demo)) ? <DemoSite /> : <Landing />;
}
