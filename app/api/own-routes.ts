import type { OwnRoute } from '@/lib/server/own-routes';

/**
 * The desk's own routes that its actions may be pointed at (an action whose address is this
 * desk's): the demo shop's API and return labels. A desk that serves no HTTP, the test sandbox,
 * answers them in-process on its own database (lib/server/own-routes.ts). Each route here reads
 * its app through getApp and nothing from Next's request scope (cookies(), headers()).
 */
export const OWN_ROUTES: readonly OwnRoute[] = [
  { path: '/api/demo-shop/openapi.json', load: () => import('./demo-shop/openapi.json/route') },
  {
    path: '/api/demo-shop/orders/[number]',
    load: () => import('./demo-shop/orders/[number]/route'),
  },
  {
    path: '/api/demo-shop/orders/[number]/cancel',
    load: () => import('./demo-shop/orders/[number]/cancel/route'),
  },
  {
    path: '/api/demo-shop/orders/[number]/delivery-address',
    load: () => import('./demo-shop/orders/[number]/delivery-address/route'),
  },
  {
    path: '/api/demo-shop/orders/[number]/returns',
    load: () => import('./demo-shop/orders/[number]/returns/route'),
  },
  {
    path: '/api/demo-shop/return-labels/[key]',
    load: () => import('./demo-shop/return-labels/[key]/route'),
  },
];
