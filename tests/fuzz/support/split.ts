import type { DiscoveredRoute } from './discover-routes';

/**
 * The fuzz suite runs as two files so that both cores work; this splits the routes into halves
 * of about equal cost (the knowledge base's admin routes re-index documents, which is slow).
 */
export const isAdminRouteOutsideKb = (route: DiscoveredRoute) =>
  route.contract?.caller.kind === 'staff' &&
  route.contract.caller.role === 'admin' &&
  !route.template.startsWith('/api/admin/kb/');
