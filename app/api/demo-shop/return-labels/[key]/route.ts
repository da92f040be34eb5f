import { TandemError } from '@/lib/errors';
import { getApp } from '@/lib/server/app';
import { observedRoute } from '../../../observed-route';
import { findReturnByLabelKey, formatDay, returnSendBy } from '../../_lib/orders';
import { notInstalled, openShopToken } from '../../_lib/shop-route';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * A started return's label, as the link the customer is given opens it: the key in the link is
 * the only credential (unguessable, one per return), as with a courier's label link.
 */
export const GET = observedRoute(
  async (_request: Request, context: { params: Promise<{ key: string }> }) => {
    const { key } = await context.params;
    const app = await getApp();
    if (!(await openShopToken(app))) throw notInstalled();
    const { database } = app;
    const order = /^[A-Za-z0-9_-]{20,64}$/.test(key)
      ? await findReturnByLabelKey(database.db, key)
      : null;
    if (!order?.returnNumber) {
      throw new TandemError('not_found:return_label', 'There is no return label at this link.');
    }
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Return label ${escapeHtml(order.returnNumber)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}
.label{border:2px dashed #333;padding:1.5rem}h1{font-size:1.4rem;margin:0 0 1rem}
dt{font-weight:600;margin-top:.6rem}dd{margin:0}</style></head>
<body><div class="label"><h1>Parcelly return ${escapeHtml(order.returnNumber)}</h1><dl>
<dt>Order</dt><dd>#${escapeHtml(order.number)}</dd>
<dt>Items</dt><dd>${order.items.map((i) => `${i.quantity} × ${escapeHtml(i.name)}`).join('<br>')}</dd>
<dt>Reason</dt><dd>${escapeHtml(order.returnReason ?? '')}</dd>
<dt>From</dt><dd>${escapeHtml(order.deliveryAddress)}</dd>
<dt>To</dt><dd>Parcelly Returns, 10 Tuas South Avenue 4, Singapore 637333</dd>
<dt>Send by</dt><dd>${formatDay(returnSendBy(order)!)}</dd>
</dl><p>Show this label at any Ninja Point, or write the return number on the parcel.</p></div></body></html>`;
    return new Response(html, {
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-store' },
    });
  },
);
