import { staffForPage } from '@/app/page-guard';
import { ConversationView } from '@/components/console/conversation-view';

export default async function ConsoleConversationPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id } = await params;
  const staff = await staffForPage(`/console/conversations/${id}`);
  return (
    <ConversationView
      key={id}
      conversationId={id}
      me={{ id: staff.id, name: staff.name, role: staff.role }}
    />
  );
}
