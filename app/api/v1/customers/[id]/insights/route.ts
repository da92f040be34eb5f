import { customerInsights } from '@/lib/analytics/customer-insights';
import { getCustomerByExternalIdOrThrow } from '@/lib/customers/queries';
import { apiRoute } from '../../../api-route';

export const GET = apiRoute({ scope: 'read', params: ['id'] }, async ({ app, params }) => {
  const customer = await getCustomerByExternalIdOrThrow(app.database.db, params.id);
  const insights = await customerInsights(app.database.db, customer.id);
  return Response.json({
    customer_id: params.id,
    name: insights.customer.name,
    email: insights.customer.email,
    profile: insights.customer.profile,
    context: insights.customer.context,
    conversations: insights.conversations,
    escalated: insights.escalated,
    escalation_rate: insights.escalationRate,
    csat: insights.csat,
    csat_responses: insights.csatResponses,
    categories: insights.categories,
    tickets: insights.tickets.map((t) => ({
      number: t.number,
      subject: t.subject,
      status: t.status,
    })),
  });
});
