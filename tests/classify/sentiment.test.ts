import { describe, expect, it } from 'vitest';
import { analyzeSentiment } from '@/lib/classify/sentiment';

const labelOf = (text: string) => analyzeSentiment(text).label;
const polarityOf = (text: string) => analyzeSentiment(text).polarity;
const frustrationOf = (text: string, history?: string[]) =>
  analyzeSentiment(text, history).frustration;

describe('analyzeSentiment polarity', () => {
  it('reads routine requests as neutral', () => {
    for (const text of [
      'How do I reset my password?',
      "I'd like to cancel my subscription",
      'Can you help me change my delivery address please?',
      'My card was charged on Monday, can you confirm the amount?',
      '我怎么重置密码？',
      '麻烦帮我查一下物流',
      '你好，我想问一下退款的问题',
    ]) {
      expect(analyzeSentiment(text), text).toEqual({
        polarity: 0,
        label: 'neutral',
        frustration: 0,
      });
    }
  });

  it('reads thanks and praise as positive', () => {
    expect(analyzeSentiment('Thanks, that fixed it!')).toEqual({
      polarity: 0.72,
      label: 'positive',
      frustration: 0,
    });
    for (const text of ['Great service, thank you so much', 'Perfect', 'I love this app']) {
      expect(labelOf(text), text).toBe('positive');
    }
    for (const text of ['谢谢，已经解决了', '服务很好，非常满意', '太好了', '这个功能不错']) {
      expect(labelOf(text), text).toBe('positive');
    }
  });

  it('reads complaints as negative', () => {
    for (const text of [
      'This is useless',
      'Your service is terrible',
      'This is ridiculous, I want my money back',
      'Awful experience',
      'This is a scam',
      'I am disappointed',
      'I am so angry right now',
      '垃圾',
      '太差了',
      '我很生气',
      '我很失望',
    ]) {
      expect(labelOf(text), text).toBe('negative');
    }
  });

  it('ignores words that name Object.prototype members', () => {
    expect(analyzeSentiment('constructor toString hasOwnProperty __proto__')).toEqual({
      polarity: 0,
      label: 'neutral',
      frustration: 0,
    });
  });

  it('keeps polarity within −1 … 1', () => {
    const worst = polarityOf('terrible awful useless garbage scam worst ridiculous, I hate it');
    const best = polarityOf('perfect amazing awesome great excellent thanks, I love it');
    expect(worst).toBeGreaterThanOrEqual(-1);
    expect(worst).toBeLessThan(-0.9);
    expect(best).toBeLessThanOrEqual(1);
    expect(best).toBeGreaterThan(0.9);
  });

  it('flips and damps negated words', () => {
    expect(polarityOf('I am happy')).toBe(0.61);
    expect(polarityOf('I am not happy')).toBe(-0.5);
    expect(labelOf("I'm not happy with the delivery")).toBe('negative');
    expect(labelOf('never good')).toBe('negative');
    expect(labelOf('not bad, thanks')).toBe('positive');
    expect(polarityOf('满意')).toBe(0.46);
    expect(polarityOf('不满意')).toBe(-0.46);
    expect(labelOf('不是很满意')).toBe('negative');
    expect(labelOf('不好用')).toBe('negative');
  });

  it('ends negation at the end of a clause', () => {
    expect(labelOf('Not sure why. Great app though')).toBe('positive');
  });

  it('strengthens intensified words', () => {
    expect(polarityOf('disappointed')).toBe(-0.46);
    expect(polarityOf('very disappointed')).toBe(-0.61);
    expect(polarityOf('失望')).toBe(-0.46);
    expect(polarityOf('非常失望')).toBe(-0.64);
    expect(polarityOf('slightly disappointed')).toBeCloseTo(-0.25, 2);
  });

  it('weighs the clause after "but" over the one before', () => {
    expect(labelOf('The app is great but the delivery was terrible')).toBe('negative');
    expect(labelOf('东西不错，但是物流太差了')).toBe('negative');
  });

  it('keeps everyday 好 and 差 words neutral', () => {
    expect(polarityOf('你好')).toBe(0);
    expect(polarityOf('好的')).toBe(0);
    expect(polarityOf('差不多')).toBe(0);
    expect(polarityOf('很好')).toBe(0.56);
  });
});

describe('analyzeSentiment frustration', () => {
  it('scores a calm question at zero', () => {
    expect(frustrationOf('How do I reset my password?')).toBe(0);
    expect(frustrationOf('请问怎么修改收货地址？')).toBe(0);
  });

  it('scores shouting, repeated asking and "still not working" high', () => {
    expect(frustrationOf("THIS IS THE THIRD TIME I'M ASKING, STILL NOT WORKING!!!")).toBe(0.92);
  });

  it('scores 还是不行 with 太差了 and 第三次 high', () => {
    expect(frustrationOf('还是不行，太差了，第三次了！')).toBe(0.88);
  });

  it('recognises each English cue on its own', () => {
    expect(frustrationOf('It is still not working')).toBe(0.57);
    expect(frustrationOf("I still haven't received it")).toBe(0.45);
    expect(frustrationOf('This is the third time I write')).toBe(0.5);
    expect(frustrationOf('For the last time, where is it')).toBe(0.5);
    expect(frustrationOf('Can you send the code again')).toBe(0.2);
    expect(frustrationOf("I've been waiting for a reply")).toBe(0.4);
    expect(frustrationOf('Nobody answers my emails')).toBe(0.45);
    expect(frustrationOf("I'm going to cancel my account")).toBe(0.4);
    expect(frustrationOf('This is a waste of time')).toBe(0.49);
    expect(frustrationOf('This is unacceptable')).toBe(0.49);
  });

  it('recognises each Chinese cue on its own', () => {
    expect(frustrationOf('还是不行')).toBe(0.58);
    expect(frustrationOf('第三次问了')).toBe(0.5);
    expect(frustrationOf('一直登录不了')).toBe(0.3);
    expect(frustrationOf('到底怎么回事')).toBe(0.35);
    expect(frustrationOf('我要投诉')).toBe(0.5);
    expect(frustrationOf('我又被扣款了')).toBe(0.2);
  });

  it('treats capitals and "!!" as shouting only when the message is not positive', () => {
    expect(frustrationOf('WHERE IS MY ORDER')).toBe(0.45);
    expect(frustrationOf('Where is my order??')).toBe(0.3);
    expect(frustrationOf('THANK YOU SO MUCH!!')).toBe(0);
    expect(frustrationOf('My API key and SSO URL are wrong')).toBeLessThan(0.2);
  });

  it('reads "又" in 又快又好 as "both … and", not "again"', () => {
    expect(frustrationOf('又快又好')).toBe(0);
  });

  it('counts repeating an earlier message as frustration', () => {
    const question = 'How do I reset my password?';
    expect(frustrationOf(question, [])).toBe(0);
    expect(frustrationOf(question, ['Where is my order?'])).toBe(0);
    expect(frustrationOf(question, ['How can I reset my password?'])).toBe(0.35);
    expect(
      frustrationOf(question, ['How can I reset my password?', 'reset my password please']),
    ).toBe(0.55);
    expect(frustrationOf('密码重置不了', ['密码重置不了'])).toBe(0.35);
  });

  it('stacks repetition with other cues', () => {
    const history = ['My payment failed', 'My payment failed again'];
    expect(frustrationOf('My payment STILL FAILED!!!', history)).toBe(0.84);
  });
});
