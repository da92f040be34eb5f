import type { PresentedOrder } from '@/app/api/demo-shop/_lib/orders';

/**
 * The signed-in shopper's orders on the demo storefront, as the demo shop's own order system
 * has them now: what the assistant's actions read and change, visible beside the chat.
 */
export function DemoOrders({ orders }: { orders: PresentedOrder[] }) {
  return (
    <section aria-label="Your orders" className="mt-12">
      <h2 className="text-lg font-semibold text-ink-900">Your orders</h2>
      <ul className="mt-3 divide-y divide-gray-200 rounded-xl border border-gray-200 bg-white">
        {orders.map((order) => (
          <li
            key={order.number}
            aria-label={`Order ${order.number}`}
            data-status={order.status}
            className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 px-4 py-3 text-sm"
          >
            <span className="font-medium text-ink-900">{order.number}</span>
            <span className="text-ink-500">
              {order.items.map((item) => `${item.quantity} × ${item.name}`).join(', ')}
            </span>
            <span className="font-medium text-ink-700">{order.status_label}</span>
            <span className="w-full text-xs text-ink-500">
              {order.status_detail} Delivery to {order.delivery_address}.
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
