import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePresenceSettings } from '@/lib/settings/presence';
import {
  countAvailableAgents,
  endPresence,
  recordHeartbeat,
  setAvailability,
  touchPresence,
} from '@/lib/staff/presence';
import { PRESENCE_TTL_SECONDS, type PresenceFacts, presenceOf } from '@/lib/staff/presence-rules';
import {
  createStaff,
  currentSessionVersion,
  listStaff,
  revokeStaffSessions,
  updateStaff,
} from '@/lib/staff/queries';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

const NOW = new Date('2026-12-05T10:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('presenceOf', () => {
  const facts = (over: Partial<PresenceFacts>): PresenceFacts => ({
    availability: 'online',
    lastSeenAt: ago(5),
    lastActiveAt: ago(5),
    deactivatedAt: null,
    ...over,
  });
  const tenMinutes = { idleMinutes: 10 };

  it.each<[string, Partial<PresenceFacts>, { idleMinutes: number }, string]>([
    ['a fresh heartbeat and recent input', {}, tenMinutes, 'online'],
    ['a console never opened', { lastSeenAt: null, lastActiveAt: null }, tenMinutes, 'offline'],
    [
      'a heartbeat just inside the TTL',
      { lastSeenAt: ago(PRESENCE_TTL_SECONDS - 1) },
      tenMinutes,
      'online',
    ],
    [
      'a heartbeat exactly the TTL old',
      { lastSeenAt: ago(PRESENCE_TTL_SECONDS) },
      tenMinutes,
      'offline',
    ],
    ['a closed tab (stale heartbeat)', { lastSeenAt: ago(300) }, tenMinutes, 'offline'],
    ['no input for 9 of 10 minutes', { lastActiveAt: ago(9 * 60) }, tenMinutes, 'online'],
    ['no input for 10 of 10 minutes', { lastActiveAt: ago(10 * 60) }, tenMinutes, 'idle'],
    ['never any input while open', { lastActiveAt: null }, tenMinutes, 'idle'],
    [
      'hours idle with idle detection off',
      { lastActiveAt: ago(5 * 3600) },
      { idleMinutes: 0 },
      'online',
    ],
    ['"away" by hand, busy in the console', { availability: 'away' }, tenMinutes, 'away'],
    [
      '"away" by hand, console closed',
      { availability: 'away', lastSeenAt: null },
      tenMinutes,
      'away',
    ],
    ['a deactivated account', { deactivatedAt: ago(60) }, tenMinutes, 'away'],
  ])('%s → %s', (_, over, settings, expected) => {
    expect(presenceOf(facts(over), settings, NOW)).toBe(expected);
  });
});

function presenceSuite(open: () => Promise<TestDatabaseContext>) {
  let ctx: TestDatabaseContext;
  beforeAll(async () => {
    ctx = await open();
  });
  afterAll(() => ctx?.close());

  let n = 0;
  const newAgent = (name: string) =>
    createStaff(ctx.db, {
      email: `${name.toLowerCase()}-${++n}@example.com`,
      name,
      role: 'agent',
      password: 'correct horse',
    });
  const presenceIn = async (id: string) =>
    (await listStaff(ctx.db)).find((s) => s.id === id)?.presence;

  it('makes an agent online by opening the console, without touching the switch', async () => {
    const dana = await newAgent('Dana');
    // A new account starts "online whenever at the console", but no console is open yet.
    expect(await presenceIn(dana.id)).toBe('offline');
    const before = await countAvailableAgents(ctx.db);

    expect(await recordHeartbeat(ctx.db, dana.id, { idleSeconds: 0 })).toEqual({
      availability: 'online',
      presence: 'online',
    });
    expect(await presenceIn(dana.id)).toBe('online');
    expect(await countAvailableAgents(ctx.db)).toBe(before + 1);
    await setAvailability(ctx.db, dana.id, 'away');
  });

  it('counts an agent offline once the heartbeats stop (tab closed)', async () => {
    const sam = await newAgent('Sam');
    await recordHeartbeat(ctx.db, sam.id, { idleSeconds: 0, now: NOW });
    const online = await countAvailableAgents(ctx.db, later(PRESENCE_TTL_SECONDS - 5));
    const closed = await countAvailableAgents(ctx.db, later(PRESENCE_TTL_SECONDS + 5));
    expect(online - closed).toBe(1);
    await setAvailability(ctx.db, sam.id, 'away');
  });

  it('makes an untouched console idle after the set minutes, and input brings it back', async () => {
    await savePresenceSettings(ctx.db, { idleMinutes: 10 });
    const kim = await newAgent('Kim');
    await recordHeartbeat(ctx.db, kim.id, { idleSeconds: 0, now: NOW });
    // Heartbeats keep coming (the tab is open) but nobody touches it.
    const quiet = await recordHeartbeat(ctx.db, kim.id, {
      idleSeconds: 11 * 60,
      now: later(11 * 60),
    });
    expect(quiet).toEqual({ availability: 'online', presence: 'idle' });
    const idleCount = await countAvailableAgents(ctx.db, later(11 * 60));

    const back = await recordHeartbeat(ctx.db, kim.id, { idleSeconds: 0, now: later(11 * 60 + 5) });
    expect(back.presence).toBe('online');
    expect(await countAvailableAgents(ctx.db, later(11 * 60 + 5))).toBe(idleCount + 1);

    // With idle detection off, the same untouched console stays online.
    await savePresenceSettings(ctx.db, { idleMinutes: 0 });
    const off = await recordHeartbeat(ctx.db, kim.id, { idleSeconds: 3600, now: later(3 * 3600) });
    expect(off.presence).toBe('online');
    await savePresenceSettings(ctx.db, { idleMinutes: 10 });
    await setAvailability(ctx.db, kim.id, 'away');
  });

  it('takes the latest input of all the agent’s tabs: an idle tab does not make them idle', async () => {
    const lee = await newAgent('Lee');
    await recordHeartbeat(ctx.db, lee.id, { idleSeconds: 0, now: NOW });
    const idleTab = await recordHeartbeat(ctx.db, lee.id, { idleSeconds: 3600, now: later(5) });
    expect(idleTab.presence).toBe('online');
    await setAvailability(ctx.db, lee.id, 'away');
  });

  it('keeps a manual "away" however busy the console is, until the agent changes it', async () => {
    const ana = await newAgent('Ana');
    await recordHeartbeat(ctx.db, ana.id, { idleSeconds: 0 });
    const before = await countAvailableAgents(ctx.db);
    expect(await setAvailability(ctx.db, ana.id, 'away')).toEqual({
      availability: 'away',
      presence: 'away',
    });
    expect(await recordHeartbeat(ctx.db, ana.id, { idleSeconds: 0 })).toEqual({
      availability: 'away',
      presence: 'away',
    });
    await touchPresence(ctx.db, ana.id, { opened: true, sessionVersion: 0 });
    expect(await presenceIn(ana.id)).toBe('away');
    expect(await countAvailableAgents(ctx.db)).toBe(before - 1);

    expect((await setAvailability(ctx.db, ana.id, 'online')).presence).toBe('online');
    expect(await countAvailableAgents(ctx.db)).toBe(before);
    await setAvailability(ctx.db, ana.id, 'away');
  });

  it('counts the console’s live connection as open, and opening it as activity', async () => {
    const mo = await newAgent('Mo');
    expect(await touchPresence(ctx.db, mo.id, { opened: true, sessionVersion: 0 })).toBe(true);
    expect(await presenceIn(mo.id)).toBe('online');
    await setAvailability(ctx.db, mo.id, 'away');
  });

  it('stops counting a console left open once its session has ended (signed out elsewhere)', async () => {
    const vi = await newAgent('Vi');
    const version = await currentSessionVersion(ctx.db, vi.id);
    expect(await touchPresence(ctx.db, vi.id, { opened: true, sessionVersion: version })).toBe(
      true,
    );
    expect(await presenceIn(vi.id)).toBe('online');

    await revokeStaffSessions(ctx.db, vi.id);
    await endPresence(ctx.db, vi.id);
    expect(await touchPresence(ctx.db, vi.id, { sessionVersion: version })).toBe(false);
    expect(await presenceIn(vi.id)).toBe('offline');
  });

  it('never counts a deactivated account, and a reactivated one starts online at the console', async () => {
    const jo = await newAgent('Jo');
    await recordHeartbeat(ctx.db, jo.id, { idleSeconds: 0 });
    const before = await countAvailableAgents(ctx.db);
    await updateStaff(ctx.db, jo.id, { active: false });
    expect(await countAvailableAgents(ctx.db)).toBe(before - 1);
    const back = await updateStaff(ctx.db, jo.id, { active: true });
    expect(back.availability).toBe('online');
    await recordHeartbeat(ctx.db, jo.id, { idleSeconds: 0 });
    expect(await countAvailableAgents(ctx.db)).toBe(before);
  });
}

describe('presence on PGlite', () => presenceSuite(() => openTestDatabase()));

describe.runIf(testEnv.databaseUrl)('presence on PostgreSQL, seen alike by two instances', () => {
  let database: TestDatabase | undefined;
  // Registered first, so it runs after the suites have closed their connections.
  afterAll(() => database?.drop());
  const openShared = async () => {
    database ??= await createTestDatabase(testEnv.databaseUrl!);
    return openTestDatabase({ DATABASE_URL: database.url });
  };
  presenceSuite(openShared);

  it('counts an agent whose console beats on one instance as online on the other', async () => {
    const one = await openShared();
    const two = await openShared();
    try {
      const before = await countAvailableAgents(two.db);
      const agent = await createStaff(one.db, {
        email: `twin-${Date.now()}@example.com`,
        name: 'Twin',
        role: 'agent',
        password: 'correct horse',
      });
      await recordHeartbeat(one.db, agent.id, { idleSeconds: 0 });
      expect(await countAvailableAgents(two.db)).toBe(before + 1);
      await setAvailability(two.db, agent.id, 'away');
      expect((await recordHeartbeat(one.db, agent.id, { idleSeconds: 0 })).presence).toBe('away');
      expect(await countAvailableAgents(one.db)).toBe(before);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
