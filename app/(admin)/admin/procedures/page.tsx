import type { Metadata } from 'next';
import { ProceduresManager } from '@/components/admin/procedures/procedures-manager';

export const metadata: Metadata = { title: 'Procedures' };

export default function ProceduresPage() {
  return <ProceduresManager />;
}
