import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ESCALATION_THRESHOLDS,
  decideEscalation,
  ESCALATION_REASONS,
  type EscalationInput,
  escalationReasonLabel,
  isSentimentDeclining,
} from '@/lib/turn/escalation-policy';

// A conversation that triggers nothing: each test changes one thing.
const calm: EscalationInput = {
  intent: 'question',
  priority: 'medium',
  frustration: 0,
  sentimentHistory: [0, 0, 0],
  frustrationHistory: [0, 0, 0],
  lowConfidenceStreak: 0,
};

const thresholds = DEFAULT_ESCALATION_THRESHOLDS;

function decide(change: Partial<EscalationInput>) {
  return decideEscalation({ ...calm, ...change }, thresholds);
}

describe('decideEscalation', () => {
  it('keeps a calm conversation with the assistant', () => {
    expect(decide({})).toEqual({ escalate: false, reason: null, explanation: '' });
  });

  it('uses the default thresholds when none are given', () => {
    expect(DEFAULT_ESCALATION_THRESHOLDS).toEqual({
      frustration: 0.8,
      frustratedMessages: 3,
      frustratedAt: 0.5,
      lowConfidenceStreak: 2,
      decliningWindow: 3,
    });
    expect(decideEscalation({ ...calm, lowConfidenceStreak: 2 }).reason).toBe('low_confidence');
  });

  describe('customer_request', () => {
    it('fires when the customer asks for a human', () => {
      expect(decide({ intent: 'asks_for_human' })).toEqual({
        escalate: true,
        reason: 'customer_request',
        explanation: "You asked to speak with a person, so I'm bringing in a member of our team.",
      });
    });

    it('does not fire for other intents', () => {
      expect(decide({ intent: 'complaint' }).escalate).toBe(false);
    });
  });

  describe('urgent_priority', () => {
    it('fires on urgent priority', () => {
      expect(decide({ priority: 'urgent' })).toEqual({
        escalate: true,
        reason: 'urgent_priority',
        explanation: "This needs urgent attention, so I'm bringing in a member of our team now.",
      });
    });

    it('does not fire on high priority', () => {
      expect(decide({ priority: 'high' }).escalate).toBe(false);
    });
  });

  describe('high_frustration', () => {
    it('fires at the frustration threshold', () => {
      expect(decide({ frustration: 0.8, frustrationHistory: [0, 0, 0.8] })).toEqual({
        escalate: true,
        reason: 'high_frustration',
        explanation:
          "I can see this has been frustrating, so I'm bringing in a member of our team.",
      });
    });

    it('does not fire just below it', () => {
      expect(decide({ frustration: 0.79, frustrationHistory: [0, 0, 0.79] }).escalate).toBe(false);
    });
  });

  describe('repeated_frustration', () => {
    it('fires when three messages reach the frustrated mark', () => {
      expect(decide({ frustration: 0.5, frustrationHistory: [0.5, 0.6, 0.5] })).toEqual({
        escalate: true,
        reason: 'repeated_frustration',
        explanation:
          "This has been frustrating for a while now, so I'm bringing in a member of our team.",
      });
    });

    it('counts messages anywhere in the conversation', () => {
      const history = [0.7, 0, 0.5, 0.1, 0.55];
      expect(decide({ frustration: 0.55, frustrationHistory: history }).reason).toBe(
        'repeated_frustration',
      );
    });

    it('does not fire with only two frustrated messages', () => {
      expect(decide({ frustration: 0.6, frustrationHistory: [0.6, 0, 0.6] }).escalate).toBe(false);
    });

    it('does not fire when the third message is just below the mark', () => {
      expect(decide({ frustration: 0.49, frustrationHistory: [0.6, 0.6, 0.49] }).escalate).toBe(
        false,
      );
    });

    it('is off when the message count is below one', () => {
      const off = { ...thresholds, frustratedMessages: 0 };
      expect(decideEscalation(calm, off).escalate).toBe(false);
    });
  });

  describe('declining_sentiment', () => {
    it('fires when sentiment falls into negative', () => {
      expect(decide({ sentimentHistory: [0.25, 0, -0.25] })).toEqual({
        escalate: true,
        reason: 'declining_sentiment',
        explanation:
          "I can tell this isn't going well, so I'm bringing in a member of our team to help.",
      });
    });

    it('looks only at the last window of messages', () => {
      expect(decide({ sentimentHistory: [-0.5, 0.5, 0.25, 0, -0.25] }).reason).toBe(
        'declining_sentiment',
      );
      expect(decide({ sentimentHistory: [0.5, 0, -0.25, -0.25, -0.25] }).escalate).toBe(false);
    });

    it('does not fire when the fall is just slower than the slope threshold', () => {
      // Slope −0.140625 per message against a threshold of −0.15.
      expect(decide({ sentimentHistory: [0.25, 0.125, -0.03125] }).escalate).toBe(false);
    });

    it('does not fire when the latest message is not negative', () => {
      expect(decide({ sentimentHistory: [0.75, 0.5, 0] }).escalate).toBe(false);
    });

    it('does not fire before the window has filled', () => {
      expect(decide({ sentimentHistory: [0.5, -0.5] }).escalate).toBe(false);
    });
  });

  describe('low_confidence', () => {
    it('fires after two unsure answers in a row', () => {
      expect(decide({ lowConfidenceStreak: 2 })).toEqual({
        escalate: true,
        reason: 'low_confidence',
        explanation:
          "I'm not sure I can answer this correctly, so I'm bringing in a member of our team.",
      });
    });

    it('does not fire after one', () => {
      expect(decide({ lowConfidenceStreak: 1 }).escalate).toBe(false);
    });
  });

  describe('rule order', () => {
    const everything: Partial<EscalationInput> = {
      intent: 'asks_for_human',
      priority: 'urgent',
      frustration: 0.9,
      frustrationHistory: [0.6, 0.7, 0.9],
      sentimentHistory: [0.5, 0, -0.5],
      lowConfidenceStreak: 3,
    };

    it('takes the first matching rule', () => {
      expect(decide(everything).reason).toBe('customer_request');
      expect(decide({ ...everything, intent: 'complaint' }).reason).toBe('urgent_priority');
      expect(decide({ ...everything, intent: 'complaint', priority: 'high' }).reason).toBe(
        'high_frustration',
      );
      expect(
        decide({ ...everything, intent: 'complaint', priority: 'high', frustration: 0.7 }).reason,
      ).toBe('repeated_frustration');
      expect(
        decide({
          ...everything,
          intent: 'complaint',
          priority: 'high',
          frustration: 0.7,
          frustrationHistory: [0, 0.6, 0.7],
        }).reason,
      ).toBe('declining_sentiment');
      expect(
        decide({
          ...everything,
          intent: 'complaint',
          priority: 'high',
          frustration: 0.7,
          frustrationHistory: [0, 0.6, 0.7],
          sentimentHistory: [-0.5, -0.5, -0.5],
        }).reason,
      ).toBe('low_confidence');
    });
  });
});

describe('isSentimentDeclining', () => {
  it('accepts a strictly decreasing run that falls fast enough into negative', () => {
    expect(isSentimentDeclining([0.5, 0.25, -0.25], 3)).toBe(true);
  });

  it('accepts a bumpy fall whose fitted slope is steep enough', () => {
    expect(isSentimentDeclining([0.5, 0.5, -0.25], 3)).toBe(true);
  });

  it('rejects a slow strictly decreasing drift', () => {
    expect(isSentimentDeclining([-0.0625, -0.125, -0.25], 3)).toBe(false);
  });

  it('is off for windows shorter than two', () => {
    expect(isSentimentDeclining([0.5, -0.5], 1)).toBe(false);
    expect(isSentimentDeclining([0.5, -0.5], 2)).toBe(true);
  });
});

describe('escalationReasonLabel', () => {
  it('names every reason in words for agents and admins, and an unknown one in words, in the same case', () => {
    const labels = ESCALATION_REASONS.map(escalationReasonLabel);
    expect(new Set(labels).size).toBe(ESCALATION_REASONS.length);
    for (const label of labels) expect(label).toMatch(/^[A-Z][a-z]+( [a-z]+)*$/);
    expect(escalationReasonLabel('customer_request')).toBe('Customer asked for a person');
    expect(escalationReasonLabel('legacy_reason')).toBe('Legacy reason');
  });
});
