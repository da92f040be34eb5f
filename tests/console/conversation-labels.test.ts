import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConsoleConversation } from '@/app/api/console/_lib/conversation-detail';
import { listQueue } from '@/app/api/console/_lib/queue';
import { tickets } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { sendAgentReply, takeOver } from '@/lib/conversations/handoff';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import type { StaffUser } from '@/lib/staff/queries';
import { say } from '@/tests/harness/customer-turn';
import { signedInStaff, startTestApp } from '../harness/app';

describe('the console reads the whole conversation after a take-over', () => {
  let app: AppContext;
  let stop: () => Promise<void>;
  let dana: StaffUser;
  beforeAll(async () => {
    ({ app, stop } = await startTestApp());
    ({ staff: dana } = await signedInStaff(app, 'agent', 'Dana'));
  });
  afterAll(() => stop?.());

  it('shows the labels, summary and ticket of the conversation, not of "ok thanks"', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const problem = await say(
      app,
      customer.id,
      "My parcel PX-2211 never arrived and I'm furious!!",
    );
    const id = problem.conversationId;
    await say(app, customer.id, 'I want to talk to a human', id);
    await takeOver(app, dana, id);
    await sendAgentReply(app, dana, id, 'Hi, Dana here. I am checking PX-2211 with the courier.');
    const thanks = await say(app, customer.id, 'ok thanks', id);
    expect(thanks.classification.priority).toBe('low');
    expect(thanks.classification.sentiment.label).toBe('positive');

    // The hand-off ticket is titled by the problem and carries the conversation's priority.
    const [ticket] = await app.database.db
      .select()
      .from(tickets)
      .where(eq(tickets.conversationId, id));
    expect(ticket).toMatchObject({
      subject: "My parcel PX-2211 never arrived and I'm furious",
      priority: problem.classification.priority,
    });
    expect(problem.classification.priority).toBe('medium');

    const [item] = await listQueue(app.database.db, dana, 'mine');
    expect(item).toMatchObject({
      id,
      priority: 'medium',
      sentimentTrend: 'improving',
      topic: "My parcel PX-2211 never arrived and I'm furious",
      lastCustomerMessage: 'ok thanks',
    });
    expect(item!.sentiment).toBeCloseTo(problem.classification.sentiment.polarity, 5);
    expect(item!.sentiment!).toBeLessThan(-0.2);

    const detail = await getConsoleConversation(app.database.db, id);
    expect(detail.conversation).toMatchObject({
      priority: 'medium',
      topic: "My parcel PX-2211 never arrived and I'm furious",
      sentiment: { trend: 'improving' },
    });
    expect(detail.conversation.sentiment!.polarity).toBe(item!.sentiment);
    // The latest message's own reading stays available beside them.
    expect(detail.classification).toMatchObject({ priority: 'low' });
    const summary = detail.conversation.summary!;
    expect(summary).toMatch(/^Customer: My parcel PX-2211 never arrived and I'm furious!!/);
    expect(summary).toContain('Escalated to the support team (customer asked for a person)');
    expect(summary).toContain('Dana joined the conversation.');
    expect(summary).toContain('Dana last wrote: “Hi, Dana here. I am checking PX-2211');
    expect(summary).toMatch(/Latest from the customer: “ok thanks”\.$/);
    expect(summary).not.toContain('I want to talk to a human');
  });
});
