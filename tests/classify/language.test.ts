import { describe, expect, it } from 'vitest';
import { detectLanguage } from '@/lib/classify/language';

const codeOf = (text: string, fallback?: string) => detectLanguage(text, fallback).code;

describe('detectLanguage', () => {
  it('detects English support messages', () => {
    for (const text of [
      'How do I reset my password?',
      "My order hasn't arrived yet",
      'I was charged twice this month',
      'The app keeps crashing when I open it',
      'Can I speak to a human please',
      'refund please',
    ]) {
      expect(codeOf(text), text).toBe('en');
    }
  });

  it('detects Malay support messages', () => {
    for (const text of [
      'Bagaimana saya boleh menukar kata laluan?',
      'Pesanan saya belum sampai lagi',
      'Saya tidak boleh log masuk ke akaun saya',
      'Kad saya ditolak semasa pembayaran',
      'Saya nak bercakap dengan orang sebenar',
      'terima kasih',
    ]) {
      expect(codeOf(text), text).toBe('ms');
    }
  });

  it('detects Chinese by script, including mixed with English', () => {
    expect(detectLanguage('我的订单还没到')).toEqual({ code: 'zh', confidence: 0.95 });
    expect(codeOf('还是不行，太差了，第三次了！')).toBe('zh');
    expect(codeOf('你好')).toBe('zh');
    expect(codeOf('我的order还没到')).toBe('zh');
    expect(codeOf('iPhone 坏了')).toBe('zh');
  });

  it('detects Tamil by script', () => {
    expect(detectLanguage('எனது ஆர்டர் இன்னும் வரவில்லை')).toEqual({ code: 'ta', confidence: 0.95 });
    expect(codeOf('நன்றி')).toBe('ta');
    expect(codeOf('app வேலை செய்யவில்லை')).toBe('ta');
  });

  it('keeps English with a few Chinese characters English', () => {
    expect(codeOf("Hi, my name is 王伟 and my order hasn't arrived")).toBe('en');
  });

  it('reads kanji with kana as Japanese, not Chinese', () => {
    expect(codeOf('注文した商品がまだ届きません')).toBe('ja');
    expect(codeOf('주문한 상품이 아직 도착하지 않았어요')).toBe('ko');
  });

  it('is confident about full sentences', () => {
    expect(detectLanguage('Saya tidak puas hati dengan perkhidmatan ini').confidence).toBe(0.85);
    expect(detectLanguage('How do I reset my password?').confidence).toBeGreaterThan(0.6);
  });

  it('falls back to English with low confidence for very short text', () => {
    for (const text of ['hi', 'ok', 'thanks', 'tq', '👍', '?', '']) {
      expect(detectLanguage(text), text).toEqual({ code: 'en', confidence: 0.2 });
    }
  });

  it("falls back to the conversation's previous language for very short text", () => {
    expect(detectLanguage('ok', 'ms')).toEqual({ code: 'ms', confidence: 0.4 });
    expect(detectLanguage('boleh', 'ms')).toEqual({ code: 'ms', confidence: 0.4 });
    expect(detectLanguage('thanks', 'zh')).toEqual({ code: 'zh', confidence: 0.4 });
  });

  it('prefers the expected language when a short phrase is nearly tied', () => {
    expect(detectLanguage('password reset')).toEqual({ code: 'en', confidence: 0.2 });
  });

  it('follows clear evidence over the fallback', () => {
    expect(codeOf('Saya tidak boleh log masuk ke akaun saya', 'en')).toBe('ms');
    expect(codeOf('How do I reset my password?', 'ms')).toBe('en');
    expect(codeOf('我的订单还没到', 'en')).toBe('zh');
  });
});
