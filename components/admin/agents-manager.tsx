'use client';

import type { FormEvent } from 'react';
import type { Presence } from '@/lib/staff/presence-rules';
import { presenceLabel } from '@/lib/text/labels';
import { adminRequest } from './api';
import { inputClass, useAdminResource } from './use-action';

type Member = {
  id: string;
  email: string;
  name: string;
  role: 'agent' | 'admin';
  availability: 'online' | 'away';
  presence: Presence;
  active: boolean;
};

const PRESENCE_DOT: Record<Presence, string> = {
  online: 'bg-green-500',
  idle: 'bg-amber-500',
  away: 'bg-gray-400',
  offline: 'bg-gray-300',
};

/** Whether the agent is there now: online, idle (console open, untouched), away, or offline. */
function PresenceBadge({ presence }: { presence: Presence }) {
  return (
    <span className="inline-flex items-center gap-1.5" data-presence={presence}>
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${PRESENCE_DOT[presence]}`} />
      {presenceLabel(presence)}
    </span>
  );
}

export function AgentsManager() {
  const { data, change, outcome } = useAdminResource<{ users: Member[] }>('/api/admin/users');
  const users = data?.users ?? [];

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = Object.fromEntries(new FormData(form));
    const created = await change(
      () => adminRequest<Member>('/api/admin/users', 'POST', data),
      `Created ${data.email}.`,
    );
    if (created) form.reset();
  }

  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Agents</h1>
      {outcome}
      <table className="w-full border-collapse bg-white text-sm">
        <thead>
          <tr className="border-b text-left text-ink-500">
            <th className="p-2">Name</th>
            <th className="p-2">Email</th>
            <th className="p-2">Role</th>
            <th className="p-2">Presence</th>
            <th className="p-2">Password</th>
            <th className="p-2">Account</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className={u.active ? 'border-b' : 'border-b text-ink-500'}>
              <td className="p-2">{u.name}</td>
              <td className="p-2">{u.email}</td>
              <td className="p-2">
                <select
                  aria-label={`Role of ${u.name}`}
                  value={u.role}
                  onChange={(e) =>
                    void change(
                      () =>
                        adminRequest(`/api/admin/users/${u.id}`, 'PATCH', { role: e.target.value }),
                      `${u.name} is now ${e.target.value === 'admin' ? 'an admin' : 'an agent'}.`,
                    )
                  }
                  className={inputClass}
                >
                  <option value="agent">agent</option>
                  <option value="admin">admin</option>
                </select>
              </td>
              <td className="p-2">{u.active ? <PresenceBadge presence={u.presence} /> : '—'}</td>
              <td className="p-2">
                <button
                  type="button"
                  className="text-brand-600 underline"
                  onClick={() => {
                    const password = window.prompt(
                      `New password for ${u.name} (at least 8 characters)`,
                    );
                    if (password)
                      void change(
                        () => adminRequest(`/api/admin/users/${u.id}`, 'PATCH', { password }),
                        `Password changed for ${u.name}.`,
                      );
                  }}
                >
                  Reset
                </button>
              </td>
              <td className="p-2">
                {u.active ? (
                  <button
                    type="button"
                    aria-label={`Deactivate ${u.name}`}
                    className="text-red-700 underline"
                    onClick={() => {
                      if (
                        window.confirm(
                          `Deactivate ${u.name}? They are signed out everywhere and can no longer sign in.`,
                        )
                      )
                        void change(
                          () =>
                            adminRequest(`/api/admin/users/${u.id}`, 'PATCH', { active: false }),
                          `${u.name} is deactivated.`,
                        );
                    }}
                  >
                    Deactivate
                  </button>
                ) : (
                  <span className="flex items-center gap-2">
                    <span className="rounded bg-gray-100 px-1.5 py-0.5 text-xs">Deactivated</span>
                    <button
                      type="button"
                      aria-label={`Reactivate ${u.name}`}
                      className="text-brand-600 underline"
                      onClick={() =>
                        void change(
                          () => adminRequest(`/api/admin/users/${u.id}`, 'PATCH', { active: true }),
                          `${u.name} is active again.`,
                        )
                      }
                    >
                      Reactivate
                    </button>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        onSubmit={create}
        aria-label="New agent"
        className="space-y-2 rounded-md border border-gray-200 bg-white p-4"
      >
        <h2 className="font-medium">New agent</h2>
        <div className="flex flex-wrap gap-2">
          <input name="name" aria-label="Name" placeholder="Name" required className={inputClass} />
          <input
            name="email"
            aria-label="Email"
            type="email"
            placeholder="Email"
            required
            className={inputClass}
          />
          <input
            name="password"
            aria-label="Password"
            type="password"
            placeholder="Password (8+ characters)"
            minLength={8}
            required
            className={inputClass}
          />
          <select name="role" aria-label="Role" defaultValue="agent" className={inputClass}>
            <option value="agent">agent</option>
            <option value="admin">admin</option>
          </select>
          <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white">
            Create account
          </button>
        </div>
      </form>
    </div>
  );
}
