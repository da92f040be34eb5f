import { describe, expect, it } from 'vitest';
import {
  allowsPersonRequest,
  asksForPerson,
  readPersonRequest,
  withoutPersonRequest,
} from '@/lib/classify/person-request';

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

describe('readPersonRequest', () => {
  it.each([
    ['Can I get someone to look at the brakes of my rental bike?', 'mentions'],
    ['Could somebody from the rental team check my bike?', 'mentions'],
    ['get me an operator', 'asks'],
    ['我要找人工', 'asks'],
    ["I don't need an agent, just tell me the deposit for an e-bike", 'declines'],
    ['不需要人工，押金多少？', 'declines'],
    ['What time can I talk to an agent about my bike rental?', 'asks_when'],
    ['When can I speak to someone at the docking station desk?', 'asks_when'],
    ['Write a haiku about bicycles in the rain', 'none'],
    ['How much is the deposit for an e-bike?', 'none'],
  ])('reads %j as %s', (text, reading) => {
    expect(readPersonRequest(text)).toBe(reading);
  });

  it('lets a classifier’s guess of a request stand only when a person is named and wanted', () => {
    expect(allowsPersonRequest('Could somebody from the rental team check my bike?')).toBe(true);
    expect(allowsPersonRequest('Write a haiku about bicycles in the rain')).toBe(false);
    expect(allowsPersonRequest("I don't need an agent, how do I unlock a bike?")).toBe(false);
    expect(allowsPersonRequest('When can I chat with someone about a lost helmet?')).toBe(false);
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
