import { eq } from 'drizzle-orm';
import { customers } from '@/db/schema';
import { customerInsights } from '@/lib/analytics/customer-insights';
import { TandemError } from '@/lib/errors';
import { apiRoute } from '../../../api-route';

export const GET = apiRoute({ scope: 'read', params: ['id'] }, async ({ app, params }) => {
  const [customer] = await app.database.db
    .select({ id: customers.id })
    .from(customers)
    .where(eq(customers.externalId, params.id));
  if (!customer) throw new TandemError('not_found:customer', 'No customer has that id.');
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
