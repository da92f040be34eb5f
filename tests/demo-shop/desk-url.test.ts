import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';

// Where the demo content's actions find the demo shop the desk itself serves.
describe('the desk’s own URL', () => {
  it('is its public URL’s origin when one is set', () => {
    expect(parseConfig({ NEXTAUTH_URL: 'https://help.example.com/api/auth' }).deskUrl).toBe(
      'https://help.example.com',
    );
  });

  it('is this machine on the port it serves otherwise', () => {
    expect(parseConfig({}).deskUrl).toBe('http://localhost:3000');
    expect(parseConfig({ PORT: '3210' }).deskUrl).toBe('http://localhost:3210');
    expect(parseConfig({ NEXTAUTH_URL: '', PORT: '8080' }).deskUrl).toBe('http://localhost:8080');
  });

  it('refuses a port that is not one', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ PORT: '70000' })).toThrow(/PORT/);
  });
});
