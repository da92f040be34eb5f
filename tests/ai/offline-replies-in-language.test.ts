import { describe, expect, it } from 'vitest';
import { replyToToolResult } from '@/lib/ai/offline/tool-intents';
import { answerInstructions, replyContextOf } from '@/lib/ai/prompts';
import { formatReplyContext, parseReplyContext } from '@/lib/ai/sources';
import { CUSTOMER_TOOLS, type ToolDefinition } from '@/lib/ai/tools';
import { detectLanguage } from '@/lib/classify/language';
import type { Classification } from '@/lib/classify/schema';
import { ESCALATION_REASONS } from '@/lib/conversations/escalation-reasons';
import { handOffWords } from '@/lib/turn/hand-off-words';

const identity = { assistantName: 'Pedalo Helper', businessName: 'Pedalo' };

const reading = (
  sentiment: Partial<Classification['sentiment']>,
  priority: Classification['priority'] = 'medium',
  intent: Classification['intent'] = 'question',
) => ({
  sentiment: { polarity: 0, label: 'neutral' as const, frustration: 0, ...sentiment },
  priority,
  intent,
});

describe('replies in the customer’s language', () => {
  it('words every tool’s result in Chinese for a Chinese customer, and as before in English', () => {
    for (const registered of CUSTOMER_TOOLS) {
      const tool = registered as ToolDefinition;
      const { output, reply } = tool.example;
      expect(replyToToolResult(tool.name, output), tool.name).toBe(reply);
      // The escalation tool repeats what the hand-off said, already in the customer's language.
      if (tool.name === 'escalate_to_human') continue;
      const chinese = replyToToolResult(tool.name, output, 'zh');
      expect(detectLanguage(chinese).code, `${tool.name}: ${chinese}`).toBe('zh');
    }
  });

  it('says every reason for a hand-off, and what happens next, in Chinese', () => {
    const words = handOffWords('zh')!;
    for (const reason of ESCALATION_REASONS) {
      expect(detectLanguage(words.why[reason]).code, reason).toBe('zh');
    }
    const ticket = '**TKT-1042**';
    for (const sentence of [
      words.agentOnline(ticket),
      words.nobodyOnline(ticket, words.byEmail('mei@example.com')),
      words.byEmail(null),
      words.alreadyWaiting,
    ]) {
      expect(detectLanguage(sentence).code, sentence).toBe('zh');
    }
    expect(words.nobodyOnline(ticket, words.byEmail('mei@example.com'))).toContain(
      'mei@example.com',
    );
    expect(handOffWords('en')).toBeNull();
    expect(handOffWords(undefined)).toBeNull();
  });
});

describe('how the prompt tells the model to reply', () => {
  it('asks to acknowledge frustration or urgency first, and marks a reported problem', () => {
    expect(replyContextOf({ language: 'en', reading: reading({}) })).toEqual({ language: 'en' });
    expect(
      replyContextOf({ reading: reading({ frustration: 0.5, polarity: -0.2, label: 'negative' }) }),
    ).toEqual({ acknowledge: 'frustration', problem: true });
    expect(replyContextOf({ reading: reading({}, 'urgent') })).toEqual({ acknowledge: 'urgency' });
    // A high priority can come from the account (a failed renewal), not from the customer's hurry.
    expect(replyContextOf({ reading: reading({}, 'high') })).toEqual({});
    expect(replyContextOf({ reading: reading({}, 'medium', 'complaint') })).toEqual({
      problem: true,
    });
  });

  it('carries it through the instructions, for a hosted model in words and for the offline one as data', () => {
    const instructions = answerInstructions(identity, [], {
      language: 'zh',
      reading: reading(
        { frustration: 0.6, polarity: -0.6, label: 'negative' },
        'medium',
        'complaint',
      ),
    });
    expect(instructions).toMatch(
      /sounds frustrated: start with one short sentence acknowledging it/,
    );
    expect(instructions).toMatch(/offer to bring one in/);
    expect(parseReplyContext(instructions)).toEqual({
      language: 'zh',
      acknowledge: 'frustration',
      problem: true,
    });
    expect(parseReplyContext(formatReplyContext({ acknowledge: 'urgency' }))).toEqual({
      acknowledge: 'urgency',
    });
    expect(parseReplyContext('<reply-context>\nnot json\n</reply-context>')).toEqual({});
  });
});
