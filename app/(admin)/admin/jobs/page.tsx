import type { Metadata } from 'next';
import { JobsMonitor } from '@/components/admin/jobs-monitor';

export const metadata: Metadata = { title: 'Jobs' };

export default function JobsPage() {
  return <JobsMonitor />;
}
