import { describe, expect, it } from 'vitest';
import { escalationReasonLabel } from '@/lib/conversations/escalation-reasons';
import { categoryKey, categoryLabel, humanizeKey, languageLabel } from '@/lib/text/labels';

describe('one spelling per label', () => {
  it('reads any spelling of a key the same way, in sentence case', () => {
    for (const key of ['orders_shipping', 'orders-shipping', 'ordersShipping', 'Orders Shipping']) {
      expect(humanizeKey(key)).toBe('Orders shipping');
    }
    expect(humanizeKey('plan')).toBe('Plan');
    expect(humanizeKey('Plan')).toBe('Plan');
  });

  it('files a category under the taxonomy key and names it as the taxonomy does', () => {
    expect(categoryKey('orders-shipping')).toBe('orders_shipping');
    expect(categoryKey(' Orders Shipping ')).toBe('orders_shipping');
    expect(categoryLabel('orders-shipping')).toBe('Orders & shipping');
    expect(categoryLabel('orders_shipping')).toBe('Orders & shipping');
    expect(categoryLabel('billing', new Map([['billing', 'Payments']]))).toBe('Payments');
    expect(categoryLabel('gift_cards')).toBe('Gift cards');
  });

  it('names escalation reasons in sentence case, old ones included', () => {
    expect(escalationReasonLabel('high_frustration')).toBe('High frustration');
    expect(escalationReasonLabel('human_requested')).toBe('Human requested');
  });

  it('names languages, keeping a code it does not know', () => {
    expect(languageLabel('zh')).toBe('Chinese');
    expect(languageLabel('en')).toBe('English');
    expect(languageLabel('qq')).toBe('qq');
  });
});
