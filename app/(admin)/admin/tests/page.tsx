import type { Metadata } from 'next';
import { DeskTestsManager } from '@/components/admin/desk-tests/desk-tests-manager';

export const metadata: Metadata = { title: 'Tests' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `?conversation=<id>` (from the console or a customer's page) opens a case drafted from it. */
export default async function TestsPage({
  searchParams,
}: {
  searchParams: Promise<{ conversation?: string }>;
}) {
  const { conversation } = await searchParams;
  return (
    <DeskTestsManager
      fromConversation={conversation && UUID.test(conversation) ? conversation : undefined}
    />
  );
}
