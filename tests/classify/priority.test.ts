import { describe, expect, it } from 'vitest';
import { assessPriority, type PriorityInput } from '@/lib/classify/priority';

const calm = { polarity: 0, label: 'neutral', frustration: 0 } as const;

function assess(text: string, change: Partial<PriorityInput> = {}) {
  return assessPriority({
    text,
    category: 'other',
    intent: 'question',
    sentiment: calm,
    ...change,
  });
}

describe('assessPriority', () => {
  it('ranks ordinary questions medium', () => {
    expect(assess('How do I change my delivery address?')).toEqual({
      priority: 'medium',
      reasons: ['routine'],
    });
    expect(assess('I can’t log in, I forgot my password').priority).toBe('medium');
  });

  it('ranks greetings, feedback and feature requests low', () => {
    expect(assess('Hi there!', { intent: 'greeting' })).toEqual({
      priority: 'low',
      reasons: ['greeting'],
    });
    expect(assess('Love the new dashboard', { intent: 'feedback' })).toEqual({
      priority: 'low',
      reasons: ['feedback'],
    });
    expect(
      assess('Please add dark mode', { intent: 'request', category: 'feature_request' }),
    ).toEqual({ priority: 'low', reasons: ['feature_request'] });
  });

  it('ranks outages high', () => {
    for (const text of [
      'Your site is down',
      'The website is not loading for any of us',
      "I can't log in at all",
      'Nothing works since this morning',
      'Getting 502 bad gateway on every page',
      '网站打不开了',
      '系统崩了',
      '完全登录不了',
    ]) {
      expect(assess(text), text).toEqual({ priority: 'high', reasons: ['outage'] });
    }
  });

  it('ranks failed payments high', () => {
    for (const text of [
      'I was charged twice for one order',
      'You double charged me',
      'My card was declined at checkout',
      'The payment failed three times',
      "I can't pay for my order",
      '这个月被扣了两次钱',
      '支付失败',
      'Saya telah dicaj dua kali',
    ]) {
      expect(assess(text), text).toEqual({ priority: 'high', reasons: ['payment_failure'] });
    }
  });

  it('ranks security problems urgent', () => {
    for (const text of [
      'My account was hacked',
      'There is an unauthorized charge on my card',
      'Someone logged into my account from Russia',
      'I got a phishing email pretending to be you',
      "I didn't make these purchases",
      '我的账号被盗了',
      '信用卡被盗刷',
    ]) {
      expect(assess(text), text).toEqual({ priority: 'urgent', reasons: ['security'] });
    }
  });

  it('ranks legal threats urgent', () => {
    for (const text of [
      'I will contact my lawyer',
      "I'm going to sue you",
      'I am taking legal action',
      'I will file a claim with the consumer tribunal',
      'See you in court',
      '我要找律师',
      '我要起诉你们',
    ]) {
      expect(assess(text), text).toEqual({ priority: 'urgent', reasons: ['legal_threat'] });
    }
  });

  it('does not mistake "issue" or a name for a legal threat', () => {
    expect(assess('I have an issue with my invoice').priority).toBe('medium');
  });

  it('lists every signal found', () => {
    expect(assess('My account was hacked and I was charged twice')).toEqual({
      priority: 'urgent',
      reasons: ['security', 'payment_failure'],
    });
  });

  it('raises one level on high frustration', () => {
    const frustrated = { polarity: -0.6, label: 'negative', frustration: 0.7 } as const;
    expect(assess('Where is my order?', { sentiment: frustrated })).toEqual({
      priority: 'high',
      reasons: ['routine', 'frustration'],
    });
    expect(assess('The site is down', { sentiment: frustrated })).toEqual({
      priority: 'urgent',
      reasons: ['outage', 'frustration'],
    });
    expect(assess('My account was hacked', { sentiment: frustrated })).toEqual({
      priority: 'urgent',
      reasons: ['security'],
    });
  });

  it('does not raise just below the frustration mark', () => {
    const annoyed = { polarity: -0.6, label: 'negative', frustration: 0.69 } as const;
    expect(assess('Where is my order?', { sentiment: annoyed }).priority).toBe('medium');
  });

  it('raises to at least high for a paid plan or a VIP', () => {
    expect(assess('Where is my order?', { customerContext: { plan: 'pro' } })).toEqual({
      priority: 'high',
      reasons: ['routine', 'customer_context'],
    });
    expect(assess('Hello', { intent: 'greeting', customerContext: { vip: true } })).toEqual({
      priority: 'high',
      reasons: ['greeting', 'customer_context'],
    });
    expect(assess('Where is my order?', { customerContext: { tier: 'Enterprise' } }).priority).toBe(
      'high',
    );
    expect(assess('Where is my order?', { customerContext: { plan: 'free' } }).priority).toBe(
      'medium',
    );
  });

  it("raises to the site's own priority", () => {
    expect(assess('Where is my order?', { customerContext: { priority: 'high' } })).toEqual({
      priority: 'high',
      reasons: ['routine', 'customer_context'],
    });
    expect(assess('Where is my order?', { customerContext: { priority: 'urgent' } }).priority).toBe(
      'urgent',
    );
  });

  it('never lowers the priority from context', () => {
    expect(assess('My account was hacked', { customerContext: { priority: 'low' } })).toEqual({
      priority: 'urgent',
      reasons: ['security'],
    });
    expect(assess('Where is my order?', { customerContext: { priority: 'bogus' } }).priority).toBe(
      'medium',
    );
  });
});
