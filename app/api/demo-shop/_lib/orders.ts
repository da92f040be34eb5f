import { randomBytes, randomInt } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { demoOrders } from '@/db/schema';
import { TandemError } from '@/lib/errors';

/*
 * The demo shop's order rules, as a business's own order system would keep them (and as its help
 * center describes them): an order can be cancelled or re-addressed only while it is processing,
 * before it is packed; a delivered order can be returned within 30 days of delivery, once.
 */

export type DemoOrder = typeof demoOrders.$inferSelect;
type Status = DemoOrder['status'];

export const RETURN_WINDOW_DAYS = 30;
/** Days the customer has to send the parcel once the return is started. */
const SEND_WITHIN_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Why a customer sends an item back, as the shop's returns form offers. */
export const RETURN_REASONS = [
  'changed my mind',
  'wrong size',
  'wrong colour',
  'not as described',
  'no longer needed',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** What a shopper reads for each status (the help center's words). */
export const STATUS_LABELS: Record<Status, string> = {
  processing: 'Processing',
  packed: 'Packed',
  dispatched: 'Dispatched',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  delivery_attempted: 'Delivery attempted',
  cancelled: 'Cancelled',
};

/** An order number as customers type it: `#PC105120`, `pc105120`, ` PC105120 `. */
export const ORDER_NUMBER = /^#?\s*PC\d{6}$/i;

export function normalizeOrderNumber(raw: string): string | null {
  const trimmed = raw.trim();
  return ORDER_NUMBER.test(trimmed) ? trimmed.replace(/^#?\s*/, '').toUpperCase() : null;
}

const notFound = (raw: string) =>
  new TandemError('not_found:order', `There is no order ${raw.trim()} on this account.`);

/**
 * The customer's own order by its number. Someone else's order is "not found", exactly like one
 * that does not exist, so the shop never confirms that another customer's number is real.
 */
export async function findOrder(db: Database, customer: string, raw: string): Promise<DemoOrder> {
  const number = normalizeOrderNumber(raw);
  if (!number) throw notFound(raw);
  const [order] = await db
    .select()
    .from(demoOrders)
    .where(and(eq(demoOrders.number, number), eq(demoOrders.customer, customer)));
  if (!order) throw notFound(raw);
  return order;
}

export async function listOrders(db: Database, customer: string): Promise<DemoOrder[]> {
  return db
    .select()
    .from(demoOrders)
    .where(eq(demoOrders.customer, customer))
    .orderBy(desc(demoOrders.placedAt));
}

const beforePacking = (order: DemoOrder) => order.status === 'processing';

/** The last moment a delivered order can be returned; null when it cannot be. */
export function returnDeadline(order: DemoOrder): Date | null {
  if (order.status !== 'delivered' || !order.deliveredAt) return null;
  return new Date(order.deliveredAt.getTime() + RETURN_WINDOW_DAYS * DAY_MS);
}

function refusal(order: DemoOrder, what: 'cancel' | 'address'): TandemError {
  const label = STATUS_LABELS[order.status].toLowerCase();
  if (order.status === 'cancelled') {
    return new TandemError('conflict:order', `Order #${order.number} is already cancelled.`);
  }
  return new TandemError(
    'conflict:order',
    what === 'cancel'
      ? `Order #${order.number} is already ${label}, so it can no longer be cancelled. Once it arrives, you can return it within ${RETURN_WINDOW_DAYS} days instead.`
      : `Order #${order.number} is already ${label}, so its delivery address can no longer be changed.`,
  );
}

/**
 * Changes an order still processing. The update is guarded by the status, so an order packed in
 * the meantime is refused rather than changed after the fact.
 */
async function changeBeforePacking(
  db: Database,
  customer: string,
  raw: string,
  what: 'cancel' | 'address',
  set: Partial<typeof demoOrders.$inferInsert>,
): Promise<DemoOrder> {
  const order = await findOrder(db, customer, raw);
  if (!beforePacking(order)) throw refusal(order, what);
  const [changed] = await db
    .update(demoOrders)
    .set(set)
    .where(and(eq(demoOrders.id, order.id), eq(demoOrders.status, 'processing')))
    .returning();
  if (!changed) throw refusal(await findOrder(db, customer, raw), what);
  return changed;
}

export const cancelOrder = (db: Database, customer: string, raw: string, now = new Date()) =>
  changeBeforePacking(db, customer, raw, 'cancel', { status: 'cancelled', cancelledAt: now });

export const changeDeliveryAddress = (
  db: Database,
  customer: string,
  raw: string,
  address: string,
) => changeBeforePacking(db, customer, raw, 'address', { deliveryAddress: address.trim() });

/**
 * Starts the return of a delivered order within the window: a return number and a label only the
 * customer's link opens. An order can have one return; asking again answers the same one.
 */
export async function startReturn(
  db: Database,
  customer: string,
  raw: string,
  reason: ReturnReason,
  now = new Date(),
): Promise<DemoOrder> {
  const order = await findOrder(db, customer, raw);
  if (order.returnNumber) return order;
  const deadline = returnDeadline(order);
  if (!deadline) {
    throw new TandemError(
      'conflict:order',
      order.status === 'cancelled'
        ? `Order #${order.number} was cancelled, so there is nothing to return.`
        : `Order #${order.number} has not been delivered yet, so it cannot be returned. You can start a return once it arrives.`,
    );
  }
  if (now > deadline) {
    throw new TandemError(
      'conflict:order',
      `Order #${order.number} was delivered on ${formatDay(order.deliveredAt!)}, more than ${RETURN_WINDOW_DAYS} days ago, so it is outside the returns window.`,
    );
  }
  const [started] = await db
    .update(demoOrders)
    .set({
      returnNumber: `RT-${randomInt(100_000, 1_000_000)}`,
      returnReason: reason,
      returnLabelKey: randomBytes(18).toString('base64url'),
      returnStartedAt: now,
    })
    .where(and(eq(demoOrders.id, order.id), eq(demoOrders.status, 'delivered')))
    .returning();
  return started ?? findOrder(db, customer, raw);
}

/** The day a started return's parcel must be sent by, or the return lapses. */
export function returnSendBy(order: DemoOrder): Date | null {
  if (!order.returnStartedAt) return null;
  return new Date(order.returnStartedAt.getTime() + SEND_WITHIN_DAYS * DAY_MS);
}

export async function findReturnByLabelKey(db: Database, key: string): Promise<DemoOrder | null> {
  const [order] = await db.select().from(demoOrders).where(eq(demoOrders.returnLabelKey, key));
  return order ?? null;
}

export function formatDay(date: Date): string {
  return date.toLocaleDateString('en-SG', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Asia/Singapore',
  });
}

export function formatMoney(cents: number, currency: string): string {
  const amount = (cents / 100).toFixed(2);
  return currency === 'SGD' ? `S$${amount}` : `${currency} ${amount}`;
}

/** The order's state in one sentence, as the shop's order page words it. */
export function describeStatus(order: DemoOrder, now = new Date()): string {
  const tracking = order.trackingNumber
    ? ` with ${order.courier}, tracking number ${order.trackingNumber}`
    : '';
  const deadline = returnDeadline(order);
  const returned = order.returnNumber
    ? ` Return ${order.returnNumber} was started on ${formatDay(order.returnStartedAt!)}.`
    : '';
  switch (order.status) {
    case 'processing':
      return `Placed on ${formatDay(order.placedAt)} and being prepared; it can still be cancelled or sent to another address.`;
    case 'packed':
      return 'Packed and waiting for the courier to collect it; it can no longer be changed.';
    case 'dispatched':
      return `Dispatched on ${formatDay(order.dispatchedAt!)}${tracking}.`;
    case 'out_for_delivery':
      return `Out for delivery today${tracking}.`;
    case 'delivery_attempted':
      return `The courier tried to deliver it but nobody was available; they will try again the next business day${tracking ? ` (${order.courier}, tracking number ${order.trackingNumber})` : ''}.`;
    case 'delivered':
      return deadline && now <= deadline
        ? `Delivered on ${formatDay(order.deliveredAt!)}; it can be returned until ${formatDay(deadline)}.${returned}`
        : `Delivered on ${formatDay(order.deliveredAt!)}; its ${RETURN_WINDOW_DAYS}-day returns window has closed.${returned}`;
    case 'cancelled':
      return `Cancelled on ${formatDay(order.cancelledAt!)}.`;
  }
}

/**
 * An order as the shop's API answers it: what a customer may be told about their own order, and
 * nothing of the shop's internals (ids, label keys). `origin` makes the return label's link.
 */
export function presentOrder(order: DemoOrder, origin: string, now = new Date()) {
  const deadline = returnDeadline(order);
  return {
    number: `#${order.number}`,
    status: order.status,
    status_label: STATUS_LABELS[order.status],
    status_detail: describeStatus(order, now),
    placed_on: formatDay(order.placedAt),
    items: order.items.map((item) => ({ name: item.name, quantity: item.quantity })),
    total: formatMoney(order.total, order.currency),
    delivery_address: order.deliveryAddress,
    courier: order.courier,
    tracking_number: order.trackingNumber,
    dispatched_on: order.dispatchedAt ? formatDay(order.dispatchedAt) : null,
    delivered_on: order.deliveredAt ? formatDay(order.deliveredAt) : null,
    cancelled_on: order.cancelledAt ? formatDay(order.cancelledAt) : null,
    can_cancel: beforePacking(order),
    can_change_address: beforePacking(order),
    returnable_until: deadline && now <= deadline ? formatDay(deadline) : null,
    return: order.returnNumber
      ? {
          number: order.returnNumber,
          reason: order.returnReason,
          started_on: formatDay(order.returnStartedAt!),
          send_by: formatDay(returnSendBy(order)!),
          label_url: `${origin}/api/demo-shop/return-labels/${order.returnLabelKey}`,
        }
      : null,
  };
}

export type PresentedOrder = ReturnType<typeof presentOrder>;
