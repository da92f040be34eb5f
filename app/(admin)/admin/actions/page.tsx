import type { Metadata } from 'next';
import { ActionsManager } from '@/components/admin/actions/actions-manager';

export const metadata: Metadata = { title: 'Actions' };

export default function ActionsPage() {
  return <ActionsManager />;
}
