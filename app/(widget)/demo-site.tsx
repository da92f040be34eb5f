import Link from 'next/link';
import { listOrders, presentOrder } from '@/app/api/demo-shop/_lib/orders';
import { ChatLauncher } from '@/components/widget/chat-launcher';
import { DemoIdentity } from '@/components/widget/demo-identity';
import { DemoOrders } from '@/components/widget/demo-orders';
import { DEMO_CUSTOMERS } from '@/db/seed';
import { identityHash } from '@/lib/customers/identity';
import { getApp } from '@/lib/server/app';
import { getAssistantIdentity } from '@/lib/settings/settings';
import { loadWidgetProps } from './widget-props';

const products = [
  { name: 'Cast-iron skillet, 26 cm', price: 'S$59', note: 'Pre-seasoned, oven-safe to 260°C' },
  { name: 'Linen tea towels, set of 3', price: 'S$24', note: 'Stone-washed, four colours' },
  { name: 'Glass teapot, 1 L', price: 'S$38', note: 'Borosilicate, removable infuser' },
  { name: 'Bamboo storage jars', price: 'S$32', note: 'Airtight, stackable, set of 4' },
];

/**
 * A small storefront of the fictional shop the demo knowledge base describes, with the chat on it,
 * under the business name the settings hold (the demo seed's, unless an admin changed it).
 */
export async function DemoSite() {
  const { externalId, ...widget } = await loadWidgetProps();
  const { secret, database } = await getApp();
  const { businessName } = await getAssistantIdentity(database.db);
  // The signed-in shopper's orders in the demo shop (none without the demo content).
  const orders = externalId ? await listOrders(database.db, externalId) : [];
  const shoppers = DEMO_CUSTOMERS.map((c) => ({
    userId: c.externalId,
    name: c.name,
    email: c.email,
    plan: c.account.plan,
    userHash: identityHash(secret, c.externalId),
  }));
  return (
    <div className="min-h-dvh bg-gray-50">
      <header className="border-b border-gray-200 bg-white">
        <nav className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-4 sm:px-6">
          <span className="text-lg font-semibold text-brand-700">
            {businessName ?? 'Demo shop'}
          </span>
          <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm text-ink-700">
            <DemoIdentity shoppers={shoppers} current={externalId} />
            <span>Shop</span>
            <span>Plans</span>
            <Link href="/kb" className="hover:text-brand-600">
              Help center
            </Link>
          </div>
        </nav>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-10 sm:px-6 sm:py-14">
        <h1 className="text-3xl font-semibold tracking-tight text-ink-900 sm:text-4xl">
          Good things for your kitchen, delivered.
        </h1>
        <p className="mt-3 max-w-xl text-ink-500">
          Free standard delivery in Singapore over S$60. Questions about an order, a refund or your
          account? Our assistant answers from the help center, and a person takes over whenever you
          need one.
        </p>
        <ul className="mt-10 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {products.map((product) => (
            <li key={product.name} className="rounded-xl border border-gray-200 bg-white p-4">
              <div className="mb-3 aspect-square rounded-lg bg-gradient-to-br from-brand-50 to-brand-100" />
              <p className="text-sm font-medium text-ink-900">{product.name}</p>
              <p className="text-xs text-ink-500">{product.note}</p>
              <p className="mt-2 text-sm font-semibold text-ink-900">{product.price}</p>
            </li>
          ))}
        </ul>
        {orders.length > 0 && (
          <DemoOrders orders={orders.map((order) => presentOrder(order, ''))} />
        )}
      </main>
      <footer className="border-t border-gray-200 py-6 text-center text-xs text-ink-500">
        {businessName ?? 'This'} is a demo shop. Support by Tandem.
      </footer>
      <ChatLauncher {...widget} />
    </div>
  );
}
