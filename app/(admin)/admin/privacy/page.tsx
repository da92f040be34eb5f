import type { Metadata } from 'next';
import Link from 'next/link';
import { RetentionForm } from '@/components/admin/retention-form';

export const metadata: Metadata = { title: 'Privacy' };

export default function PrivacyPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Privacy and retention</h1>
      <p className="text-sm text-ink-500">
        Data past its period is deleted or anonymised by the hourly maintenance job, in every table
        that holds it. To export or erase one customer&apos;s data, open them under{' '}
        <Link href="/admin/customers" className="text-brand-600 underline">
          Customers
        </Link>
        ; every access and erasure is on the{' '}
        <Link href="/admin/audit" className="text-brand-600 underline">
          audit log
        </Link>
        .
      </p>
      <RetentionForm />
    </div>
  );
}
