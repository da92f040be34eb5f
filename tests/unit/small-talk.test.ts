import { describe, expect, it } from 'vitest';
import { assistantIdentityOf, DEFAULT_WIDGET_SETTINGS } from '@/lib/settings/schema';
import { smallTalkReply } from '@/lib/turn/small-talk';

const demo = { assistantName: 'Parcelly Assistant', businessName: 'Parcelly' };

describe('smallTalkReply', () => {
  it.each([
    ['hello', 'en', /^Hi! I'm the Parcelly assistant/],
    ['Hi there!', 'en', /^Hi!/],
    ['Hello, is anyone there?', 'en', /^Hi!/],
    ['Good morning', 'en', /^Hi!/],
    ['thanks, that helped!', 'en', /^You're welcome!/],
    ['Thank you so much 🙏', 'en', /^You're welcome!/],
    ['ok thanks, bye', 'en', /^Thanks for chatting with us/],
    ["that's all for now, see you!", 'en', /^Thanks for chatting with us/],
    ["I'm good, thank you", 'en', /^You're welcome!/],
    ['你好', 'zh', /^您好！/],
    ['谢谢，明白了', 'zh', /^不客气！/],
    ['再见', 'zh', /^感谢您的咨询/],
    ['terima kasih', 'ms', /^Sama-sama!/],
    ['hello', 'ta', /^Hi!/],
    ['Hi, my name is Alice', 'en', /^Nice to meet you, Alice!/],
    ['My name is Bob and I prefer email', 'en', /^Nice to meet you, Bob!/],
    ['I prefer email', 'en', /^Thanks, I've noted that\./],
    ['我叫小明', 'zh', /^小明，您好！/],
  ])('answers %j in kind', (text, language, reply) => {
    expect(smallTalkReply(text, language, demo)).toMatch(reply);
  });

  it.each([
    'hi, how do I reset my password?',
    'Thanks, but my parcel still has not arrived',
    'Hello? My order is late',
    'this is the third time, thanks for nothing',
    'you have been no help',
    '你好，我的订单还没到',
    'What is the meaning of life?',
    "Hi, I'm Carol. My parcel is late",
  ])('leaves %j to the pipeline', (text) => {
    expect(smallTalkReply(text, 'en', demo)).toBeNull();
  });

  it.each([
    ['en', "Hi! I'm the Kettle assistant. What can I help you with today?"],
    ['zh', '您好！我是 Kettle 的智能助手，请问有什么可以帮您？'],
    ['ms', 'Hai! Saya pembantu Kettle. Apa yang boleh saya bantu hari ini?'],
  ])('greets in %s as the assistant of the business the settings name', (language, greeting) => {
    const kettle = { assistantName: 'Kettle Helper', businessName: 'Kettle' };
    expect(smallTalkReply('hello', language, kettle)).toBe(greeting);
  });

  it.each([
    ['en', "Hi! I'm Support Assistant. What can I help you with today?"],
    ['zh', '您好！我是 Support Assistant，请问有什么可以帮您？'],
    ['ms', 'Hai! Saya Support Assistant. Apa yang boleh saya bantu hari ini?'],
  ])('greets in %s by its own name when no business is named', (language, greeting) => {
    const clean = assistantIdentityOf(DEFAULT_WIDGET_SETTINGS);
    expect(clean).toEqual({ assistantName: 'Support Assistant' });
    expect(smallTalkReply('hello', language, clean)).toBe(greeting);
  });
});
