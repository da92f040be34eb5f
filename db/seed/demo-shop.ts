import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { createAction } from '@/lib/actions/queries';
import { TandemError } from '@/lib/errors';
import type { Database } from '../client';
import { appSettings, demoOrders } from '../schema';

/*
 * The demo shop behind the demo content: orders for the demo customers across their lifecycle
 * (content/demo/orders.json) in the shop's own table, the shop API's bearer token, and the
 * actions that call that API (content/demo/actions.json), stored through the actions module as
 * an admin's would be. Nothing here is a coded path: the bot reaches the shop only through them.
 */

const DEMO_SHOP_SEEDED = 'seeded:demo-shop';
/** Where the shop keeps the token its API accepts (app/api/demo-shop). */
export const DEMO_SHOP_TOKEN_KEY = 'demo-shop:token';

export const demoOrdersFile = path.join(process.cwd(), 'content', 'demo', 'orders.json');
export const demoActionsFile = path.join(process.cwd(), 'content', 'demo', 'actions.json');

const HOUR_MS = 60 * 60 * 1000;

const hoursAgo = z.number().nonnegative().optional();
const ordersFileSchema = z.object({
  currency: z.string().length(3),
  /** Each customer's delivery address, by the site user id they sign in with. */
  customers: z.record(z.string(), z.string().min(10)),
  orders: z.array(
    z.object({
      number: z.string().regex(/^PC\d{6}$/),
      customer: z.string(),
      status: z.enum(demoOrders.status.enumValues),
      placedHoursAgo: z.number().nonnegative(),
      dispatchedHoursAgo: hoursAgo,
      deliveredHoursAgo: hoursAgo,
      cancelledHoursAgo: hoursAgo,
      courier: z.string().optional(),
      trackingNumber: z.string().optional(),
      items: z
        .array(
          z.object({
            name: z.string().min(1),
            quantity: z.number().int().positive(),
            unitPrice: z.number().int().nonnegative(),
          }),
        )
        .min(1),
    }),
  ),
});

/** The demo orders as rows, their times counted back from `now`. */
export async function readDemoOrders(now: Date) {
  const file = ordersFileSchema.parse(JSON.parse(await readFile(demoOrdersFile, 'utf8')));
  const at = (hours: number | undefined) =>
    hours === undefined ? null : new Date(now.getTime() - hours * HOUR_MS);
  return file.orders.map((order) => {
    const address = file.customers[order.customer];
    if (!address) throw new Error(`${demoOrdersFile}: ${order.number} has no customer address`);
    return {
      number: order.number,
      customer: order.customer,
      status: order.status,
      items: order.items,
      currency: file.currency,
      total: order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0),
      deliveryAddress: address,
      courier: order.courier ?? null,
      trackingNumber: order.trackingNumber ?? null,
      placedAt: at(order.placedHoursAgo)!,
      dispatchedAt: at(order.dispatchedHoursAgo),
      deliveredAt: at(order.deliveredHoursAgo),
      cancelledAt: at(order.cancelledHoursAgo),
    };
  });
}

/**
 * The demo actions, calling the shop at `deskUrl` with its token: each URL in the file is a path
 * on the desk, and each secret header carries the token as a bearer credential.
 */
export async function readDemoActions(deskUrl: string, token: string): Promise<unknown[]> {
  const file = z
    .object({ actions: z.array(z.record(z.string(), z.unknown())) })
    .parse(JSON.parse(await readFile(demoActionsFile, 'utf8')));
  return file.actions.map((action) => {
    const http = action.http as { url: string; headers?: { name: string; secret?: boolean }[] };
    return {
      ...action,
      http: {
        ...http,
        url: `${deskUrl}${http.url}`,
        headers: (http.headers ?? []).map((h) =>
          h.secret ? { ...h, value: `Bearer ${token}` } : h,
        ),
      },
    };
  });
}

export interface DemoShopOptions {
  /** The desk's own secret: the actions' secret header is encrypted under it. */
  appSecret: string;
  /** Where this desk is reached (config.deskUrl): the actions call the shop there. */
  deskUrl: string;
  now?: Date;
}

/**
 * Installs the demo shop once per database: the first caller to claim it seeds everything in the
 * same transaction, so instances starting together neither seed twice nor half.
 */
export async function seedDemoShop(db: Database, options: DemoShopOptions): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .insert(appSettings)
      .values({ key: DEMO_SHOP_SEEDED, value: sql`to_jsonb(now())` })
      .onConflictDoNothing({ target: appSettings.key })
      .returning({ key: appSettings.key });
    if (!claimed) return false;
    const token = randomBytes(32).toString('base64url');
    await tx.insert(appSettings).values({ key: DEMO_SHOP_TOKEN_KEY, value: token });
    const orders = await readDemoOrders(options.now ?? new Date());
    await tx.insert(demoOrders).values(orders).onConflictDoNothing({ target: demoOrders.number });
    for (const action of await readDemoActions(options.deskUrl, token)) {
      // An admin's own action of the same name stays as it is (checked before anything is written).
      await createAction(tx, options.appSecret, action).catch((error: unknown) => {
        if (!(error instanceof TandemError && error.code === 'conflict:action')) throw error;
      });
    }
    return true;
  });
}
