import type { Metadata } from 'next';
import { KnowledgeManager } from '@/components/admin/knowledge/knowledge-manager';

export const metadata: Metadata = { title: 'Knowledge base' };

export default function KnowledgePage() {
  return <KnowledgeManager />;
}
