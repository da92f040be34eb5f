import { describe, expect, it } from 'vitest';
import { smallTalkReply } from '@/lib/turn/small-talk';

describe('smallTalkReply', () => {
  it.each([
    ['hello', 'en', /^Hi! I'm the Parcelly assistant/],
    ['Hi there!', 'en', /^Hi!/],
    ['Hello, is anyone there?', 'en', /^Hi!/],
    ['Good morning', 'en', /^Hi!/],
    ['thanks, that helped!', 'en', /^You're welcome!/],
    ['Thank you so much 🙏', 'en', /^You're welcome!/],
    ['ok thanks, bye', 'en', /^Thanks for chatting with us/],
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
    expect(smallTalkReply(text, language)).toMatch(reply);
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
    expect(smallTalkReply(text, 'en')).toBeNull();
  });
});
