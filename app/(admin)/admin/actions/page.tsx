import type { Metadata } from 'next';
import { openShopToken } from '@/app/api/demo-shop/_lib/shop-route';
import { adminForPage } from '@/app/page-guard';
import { ActionsManager } from '@/components/admin/actions/actions-manager';
import { getApp } from '@/lib/server/app';

export const metadata: Metadata = { title: 'Actions' };

export default async function ActionsPage() {
  if (!(await adminForPage('/admin/actions'))) return null;
  // While the demo shop is open its admin needs its token to test actions imported from it, as
  // a business's admin holds their own system's API key.
  const demoShopToken = await openShopToken(await getApp());
  return <ActionsManager demoShopToken={demoShopToken} />;
}
