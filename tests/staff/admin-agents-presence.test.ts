import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listUsers } from '@/app/api/admin/users/route';
import type { AppContext } from '@/lib/context';
import { savePresenceSettings } from '@/lib/settings/presence';
import { recordHeartbeat, setAvailability } from '@/lib/staff/presence';
import { presenceLabel } from '@/lib/text/labels';
import { signedInStaff, startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
});
afterAll(() => stop?.());

describe('the admin agents list shows every presence state', () => {
  it('lists online, idle, away and offline agents as they are, with their labels', async () => {
    const { db } = app.database;
    const admin = await signedInStaff(app, 'admin', 'Ada Lists');
    await savePresenceSettings(db, { idleMinutes: 10 });
    const [online, idle, away, offline] = await Promise.all(
      ['Ola Online', 'Ida Idle', 'Abe Away', 'Otis Offline'].map(
        async (name) => (await signedInStaff(app, 'agent', name)).staff,
      ),
    );
    await recordHeartbeat(db, online!.id, { idleSeconds: 0 });
    await recordHeartbeat(db, idle!.id, { idleSeconds: 11 * 60 });
    await recordHeartbeat(db, away!.id, { idleSeconds: 0 });
    await setAvailability(db, away!.id, 'away');

    const response = await listUsers(
      new Request('http://localhost/api/admin/users', { headers: { cookie: admin.cookie } }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(200);
    const { users } = (await response.json()) as { users: { id: string; presence: string }[] };
    const presenceOf = (id: string) => users.find((u) => u.id === id)?.presence;
    expect([online, idle, away, offline].map((s) => presenceOf(s!.id))).toEqual([
      'online',
      'idle',
      'away',
      'offline',
    ]);
    expect((['online', 'idle', 'away', 'offline'] as const).map(presenceLabel)).toEqual([
      'Online',
      'Idle',
      'Away',
      'Offline',
    ]);
  });
});
