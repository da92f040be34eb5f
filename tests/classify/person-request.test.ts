import { describe, expect, it } from 'vitest';
import { asksForPerson, withoutPersonRequest } from '@/lib/classify/person-request';

describe('asksForPerson', () => {
  it.each([
    'this is ridiculous, third time asking, still not working!!! I want a human',
    'Can I talk to a real person please?',
    'get me an agent',
    'Connect me to someone who can actually help',
    'I’d like a representative',
    'please escalate this to a manager',
    'Is there a live agent?',
    'Let me speak to your supervisor.',
    '我要转人工',
    '还是不行，人工客服在哪里？',
  ])('hears a request for a person in %j', (text) => {
    expect(asksForPerson(text)).toBe(true);
  });

  it.each([
    'How do I reset my password?',
    'I need someone to explain the invoice',
    'The delivery person left my parcel at the wrong door',
    "I don't need to talk to a human, just tell me the opening hours",
    'No need to connect me to an agent, the article helped',
    'Is this answer written by artificial intelligence?',
    '人工智能能帮我改地址吗',
    '不用转人工，谢谢',
  ])('does not hear one in %j', (text) => {
    expect(asksForPerson(text)).toBe(false);
  });
});

describe('withoutPersonRequest', () => {
  it.each([
    ['I need to talk to a person about how long refunds take.', 'how long refunds take.'],
    ['Can I speak with an agent regarding my refund?', 'my refund?'],
    ['我要转人工，退款多久到账？', '退款多久到账？'],
  ])('leaves what %j needs help with', (text, left) => {
    expect(withoutPersonRequest(text)).toBe(left);
  });

  it('leaves a message that asks for no person as it is', () => {
    expect(withoutPersonRequest("I don't need a human, how long do refunds take?")).toBe(
      "I don't need a human, how long do refunds take?",
    );
  });
});
