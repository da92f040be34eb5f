import Link from 'next/link';

export default function AdminHome() {
  return (
    <div className="space-y-3">
      <h1 className="text-xl font-semibold">Admin</h1>
      <ul className="list-disc space-y-1 pl-5 text-sm">
        <li>
          <Link href="/admin/agents" className="text-brand-600 underline">
            Agents
          </Link>{' '}
          — create agent and admin accounts, change roles, reset passwords.
        </li>
        <li>
          <Link href="/admin/canned-responses" className="text-brand-600 underline">
            Canned responses
          </Link>{' '}
          — replies agents insert by typing /shortcut.
        </li>
      </ul>
    </div>
  );
}
