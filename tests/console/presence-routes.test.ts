import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT as savePresenceSettings } from '@/app/api/admin/settings/presence/route';
import { GET as listAgents } from '@/app/api/console/agents/route';
import { PUT as choose, POST as heartbeat } from '@/app/api/console/presence/route';
import { users } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { setAvailability } from '@/lib/staff/presence';
import { listStaff, type StaffUser } from '@/lib/staff/queries';
import { askTurn } from '@/tests/harness/customer-turn';
import { signedInStaff, startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let dana: { staff: StaffUser; cookie: string };
let sam: { staff: StaffUser; cookie: string };
let admin: { staff: StaffUser; cookie: string };

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  dana = await signedInStaff(app, 'agent', 'Dana Presence');
  sam = await signedInStaff(app, 'agent', 'Sam Presence');
  admin = await signedInStaff(app, 'admin', 'Ada Presence');
  // Whoever else the seeded desk has is away, so what customers are told depends on these agents.
  for (const s of await listStaff(app.database.db)) {
    await setAvailability(app.database.db, s.id, 'away');
  }
});
afterAll(() => stop?.());

const noParams = { params: Promise.resolve({}) };

function call(method: string, cookie: string | undefined, body?: unknown) {
  return new Request('http://localhost/api/console/presence', {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const presenceOf = async (id: string) =>
  (await listStaff(app.database.db)).find((s) => s.id === id)?.presence;

async function handOffMessage(): Promise<string> {
  const customer = await createAnonymousCustomer(app.database.db);
  const turn = await askTurn(app, { customer, text: 'I want to talk to a person please' });
  const reader = turn.stream.getReader();
  let text = '';
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    if (next.value.type === 'text-delta') text += next.value.delta;
  }
  return text;
}

describe('presence routes', () => {
  it('refuses a visitor (401) and bad heartbeats (400, by field)', async () => {
    const anonymous = await heartbeat(call('POST', undefined, { idleSeconds: 0 }), noParams);
    expect(anonymous.status).toBe(401);
    for (const body of [
      {},
      { idleSeconds: -1 },
      { idleSeconds: 1.5 },
      { idleSeconds: 'x' },
      { idleSeconds: 1e9 },
    ]) {
      const response = await heartbeat(call('POST', dana.cookie, body), noParams);
      expect(response.status).toBe(400);
      const { error } = await response.json();
      expect(error.code).toBe('bad_request:presence');
      expect(JSON.stringify(error.details)).toContain('idleSeconds');
    }
    const wrong = await choose(call('PUT', dana.cookie, { availability: 'busy' }), noParams);
    expect(wrong.status).toBe(400);
  });

  it('lets an agent set only their own presence', async () => {
    expect(
      (await choose(call('PUT', sam.cookie, { availability: 'online' }), noParams)).status,
    ).toBe(200);
    expect((await heartbeat(call('POST', sam.cookie, { idleSeconds: 0 }), noParams)).status).toBe(
      200,
    );
    expect(await presenceOf(sam.staff.id)).toBe('online');

    // Naming someone else is refused, not quietly applied to the caller or to them.
    for (const body of [
      { availability: 'away', userId: sam.staff.id },
      { availability: 'away', id: sam.staff.id },
    ]) {
      const refused = await choose(call('PUT', dana.cookie, body), noParams);
      expect(refused.status).toBe(400);
    }
    const beat = await heartbeat(
      call('POST', dana.cookie, { idleSeconds: 0, userId: sam.staff.id }),
      noParams,
    );
    expect(beat.status).toBe(400);
    expect(await presenceOf(sam.staff.id)).toBe('online');

    const away = await choose(call('PUT', dana.cookie, { availability: 'away' }), noParams);
    expect(away.status).toBe(200);
    expect(await away.json()).toEqual({ availability: 'away', presence: 'away' });
    expect(await presenceOf(dana.staff.id)).toBe('away');
    expect(await presenceOf(sam.staff.id)).toBe('online');

    // The agents list the console's transfer form reads shows the same.
    const agents = (await (await listAgents(call('GET', dana.cookie), noParams)).json()) as {
      agents: { id: string; available: boolean }[];
    };
    expect(agents.agents.find((a) => a.id === sam.staff.id)?.available).toBe(true);
    expect(agents.agents.find((a) => a.id === dana.staff.id)?.available).toBe(false);
    await setAvailability(app.database.db, sam.staff.id, 'away');
  });

  it('keeps a chosen "away" through heartbeats, and tells the customer what is true', async () => {
    await choose(call('PUT', dana.cookie, { availability: 'away' }), noParams);
    const stillAway = await heartbeat(call('POST', dana.cookie, { idleSeconds: 0 }), noParams);
    expect(await stillAway.json()).toEqual({ availability: 'away', presence: 'away' });
    expect(await handOffMessage()).toContain('No one from our support team is online right now');

    // Choosing "online" with the console open: the next customer hears a person is coming.
    await choose(call('PUT', dana.cookie, { availability: 'online' }), noParams);
    expect(await handOffMessage()).toContain('A person will join this chat shortly');

    // Left untouched past the idle time (here: last input an hour ago), the console no longer
    // promises a person.
    await app.database.db
      .update(users)
      .set({ lastActiveAt: new Date(Date.now() - 3600_000) })
      .where(eq(users.id, dana.staff.id));
    const quiet = await heartbeat(call('POST', dana.cookie, { idleSeconds: 3600 }), noParams);
    expect((await quiet.json()).presence).toBe('idle');
    expect(await handOffMessage()).toContain('No one from our support team is online right now');
    await choose(call('PUT', dana.cookie, { availability: 'away' }), noParams);
  });

  it('lets only admins set the idle time, within its bounds', async () => {
    const put = (cookie: string, body: unknown) =>
      savePresenceSettings(
        new Request('http://localhost/api/admin/settings/presence', {
          method: 'PUT',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
        noParams,
      );
    expect((await put(dana.cookie, { idleMinutes: 5 })).status).toBe(403);
    const tooLong = await put(admin.cookie, { idleMinutes: 500 });
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify((await tooLong.json()).error.details)).toContain('idleMinutes');
    const saved = await put(admin.cookie, { idleMinutes: 5 });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ presence: { idleMinutes: 5 } });
  });
});
