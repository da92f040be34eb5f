import type { Metadata } from 'next';
import { GlossaryEditor } from '@/components/admin/glossary-editor';

export const metadata: Metadata = { title: 'Glossary' };

export default function GlossaryPage() {
  return <GlossaryEditor />;
}
