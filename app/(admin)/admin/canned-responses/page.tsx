import type { Metadata } from 'next';
import { CannedResponsesManager } from '@/components/admin/canned-responses-manager';

export const metadata: Metadata = { title: 'Canned responses' };

export default function CannedResponsesPage() {
  return <CannedResponsesManager />;
}
