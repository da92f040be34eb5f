import type { Metadata } from 'next';
import { DocumentEditor } from '@/components/admin/knowledge/document-editor';

export const metadata: Metadata = { title: 'Knowledge-base document' };

export default async function KnowledgeDocumentPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id } = await params;
  return <DocumentEditor id={id} />;
}
