import { tool } from 'ai';
import { z } from 'zod';
import { findCustomerAccount } from '@/lib/customers/accounts';
import type { ToolContext } from './context';

export const lookupAccountTool = (ctx: ToolContext) =>
  tool({
    description:
      "Look up the signed-in customer's own account: plan, status, renewal date and last invoice.",
    inputSchema: z.object({}),
    execute: async () => {
      const account = await findCustomerAccount(ctx.db, ctx.customerId);
      if (!account) {
        return {
          error:
            'No shop account is linked to this chat. Sign in on the website first, then ask again.',
        };
      }
      return {
        plan: account.plan,
        status: account.status,
        renewalDate: account.renewalDate,
        lastInvoice: account.lastInvoice,
      };
    },
  });
