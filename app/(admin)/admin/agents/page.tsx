import type { Metadata } from 'next';
import { AgentsManager } from '@/components/admin/agents-manager';

export const metadata: Metadata = { title: 'Agents' };

export default function AgentsPage() {
  return <AgentsManager />;
}
