import type { Metadata } from 'next';
import { RunView } from '@/components/admin/desk-tests/run-view';

export const metadata: Metadata = { title: 'Test run' };

export default async function TestRunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RunView runId={id} />;
}
