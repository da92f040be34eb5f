import { z } from 'zod';
import { findCustomerAccount } from '@/lib/customers/accounts';
import { defineTool } from './define-tool';
import { formatDate } from './format-date';

const NO_ACCOUNT =
  'No shop account is linked to this chat. Sign in on the website first, then ask again.';

const ACCOUNT =
  /\bwhat(?:'s| is)? (?:plan|subscription) (?:am i|i'm) on\b|\bwhich plan\b|\bmy (?:plan|subscription|account status|renewal(?: date)?|last invoice|next (?:bill|payment|invoice))\b|\bwhen (?:does|will|do) (?:my )?(?:plan|subscription|membership) renew\b|我的(?:套餐|账户|账号|订阅)/i;

const INVOICE_STATUS_ZH = {
  paid: '已支付',
  failed: '支付失败',
  refunded: '已退款',
  pending: '待支付',
};
// A shop's account statuses are its own words; the common ones are said in Chinese.
const ACCOUNT_STATUS_ZH: Record<string, string> = {
  active: '正常',
  'past due': '逾期未付',
  past_due: '逾期未付',
  cancelled: '已取消',
  canceled: '已取消',
  paused: '已暂停',
  trialing: '试用中',
};

export const lookupAccount = defineTool({
  name: 'lookup_account',
  label: 'Looked up the account',
  description:
    "Look up the signed-in customer's own account: plan, status, renewal date and last invoice.",
  inputSchema: z.object({}),
  outputSchema: z.object({
    plan: z.string(),
    status: z.string(),
    renewalDate: z.string().nullable(),
    lastInvoice: z
      .object({
        number: z.string(),
        amount: z.number(),
        currency: z.string(),
        issuedOn: z.string(),
        status: z.enum(['paid', 'failed', 'refunded', 'pending']),
      })
      .nullable(),
  }),
  // The account belongs to whoever the site says is signed in; an anonymous chat has none to read.
  access: { effect: 'read', customers: 'verified', unverifiedReply: NO_ACCOUNT },
  async run(_input, ctx) {
    const account = await findCustomerAccount(ctx.db, ctx.customerId);
    if (!account) return { error: NO_ACCOUNT };
    return {
      plan: account.plan,
      status: account.status,
      renewalDate: account.renewalDate,
      lastInvoice: account.lastInvoice,
    };
  },
  offline: {
    detect: (text) => (ACCOUNT.test(text) ? {} : null),
    reply(account, language) {
      const invoice = account.lastInvoice;
      if (language === 'zh') {
        const renewal = account.renewalDate
          ? `续费日期是 ${formatDate(account.renewalDate, language)}。`
          : '';
        const invoiceLine = invoice
          ? `最近一张账单 ${invoice.number} 金额为 ${invoice.currency} ${invoice.amount.toFixed(2)}，开具于 ${formatDate(invoice.issuedOn, language)}，状态：${INVOICE_STATUS_ZH[invoice.status]}。`
          : '';
        const status = ACCOUNT_STATUS_ZH[account.status] ?? account.status;
        return `您目前使用的是 **${account.plan}** 套餐，账户状态：${status}。${renewal}${invoiceLine}`;
      }
      const renewal = account.renewalDate
        ? ` It renews on ${formatDate(account.renewalDate)}.`
        : '';
      const invoiceLine = invoice
        ? ` Your last invoice, ${invoice.number}, was ${invoice.currency} ${invoice.amount.toFixed(2)} on ${formatDate(invoice.issuedOn)} and is ${invoice.status}.`
        : '';
      return `You're on the **${account.plan}** plan and your account is ${account.status}.${renewal}${invoiceLine}`;
    },
  },
  example: {
    request: 'What plan am I on?',
    input: {},
    output: {
      plan: 'Team',
      status: 'active',
      renewalDate: '2027-01-03',
      lastInvoice: {
        number: 'INV-3310',
        amount: 49.5,
        currency: 'EUR',
        issuedOn: '2026-12-03',
        status: 'pending',
      },
    },
    reply:
      "You're on the **Team** plan and your account is active. It renews on 3 Jan 2027. Your last invoice, INV-3310, was EUR 49.50 on 3 Dec 2026 and is pending.",
  },
});
