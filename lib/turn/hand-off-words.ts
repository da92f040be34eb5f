import type { EscalationReason } from '@/lib/conversations/escalation-reasons';
import { describeBusinessHours } from '@/lib/settings/business-hours';
import type { BusinessHours } from '@/lib/settings/schema';

/**
 * What the customer is told when a person is brought in, in the languages Tandem speaks besides
 * English (whose sentences stay where they are made: the escalation policy, the turn, the
 * escalation itself). Staff records keep the English explanation.
 */
interface HandOffWords {
  why: Record<EscalationReason, string>;
  alreadyWaiting: string;
  agentOnline(ticket: string): string;
  byEmail(email: string | null): string;
  closed(hours: BusinessHours, ticket: string, reach: string): string;
  nobodyOnline(ticket: string, reach: string): string;
}

const WORDS: Record<string, HandOffWords> = {
  zh: {
    why: {
      customer_request: '您希望与客服人员沟通，我现在为您转接我们的团队成员。',
      urgent_priority: '这件事需要紧急处理，我现在就为您转接我们的团队成员。',
      high_frustration: '我能感受到这件事让您很困扰，我现在为您转接我们的团队成员。',
      repeated_frustration: '这个问题已经困扰您一段时间了，我现在为您转接我们的团队成员。',
      declining_sentiment: '看得出事情进展得不太顺利，我现在为您转接我们的团队成员来帮忙。',
      low_confidence: '我不确定能准确回答这个问题，所以为您转接我们的团队成员。',
      consent_declined: '您选择不让 AI 处理您的消息，所以会由我们团队的工作人员来回复您。',
      model_request: '我为您转接一位能处理这个问题的团队成员。',
      api_request: '我为您转接我们的团队成员。',
    },
    alreadyWaiting: '我们客服团队的工作人员会在这里回复您。',
    agentOnline: (ticket) =>
      `我已把我们的对话连同摘要转给客服团队，您不需要再重复说明，并创建了工单 ${ticket}，确保不会遗漏。工作人员很快会加入这个对话，期间您可以继续留言。`,
    byEmail: (email) =>
      email
        ? `我们会通过邮件回复到 ${email}`
        : '我们会通过邮件回复您——请在这里留下您的邮箱地址，方便我们联系您',
    closed: (hours, ticket, reach) =>
      `我们现在不在服务时间内（服务时间：${describeBusinessHours(hours)}）。我已创建工单 ${ticket} 并附上我们对话的摘要；${reach}，您回到这里时也能看到回复。`,
    nobodyOnline: (ticket, reach) =>
      `目前没有客服人员在线，所以我已创建工单 ${ticket} 并附上我们对话的摘要；${reach}，您回到这里时也能看到回复。`,
  },
};

/** The hand-off's words in the customer's language, or null to say it in English. */
export function handOffWords(language: string | undefined): HandOffWords | null {
  return (language && WORDS[language]) || null;
}
