import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

const server = 'postgres://tandem@db.internal:5432/tandem';

describe('TANDEM_DEMO', () => {
  it('defaults to the demo only for the all-embedded desk', () => {
    expect(parseConfig({}).demo).toBe(true);
    expect(parseConfig({ TANDEM_DEMO: '' }).demo).toBe(true);
    expect(parseConfig({ DATABASE_URL: server }).demo).toBe(false);
    expect(parseConfig({ POSTGRES_URL: server }).demo).toBe(false);
  });

  it('says so explicitly either way', () => {
    expect(parseConfig({ TANDEM_DEMO: 'false' }).demo).toBe(false);
    expect(parseConfig({ TANDEM_DEMO: '0' }).demo).toBe(false);
    expect(parseConfig({ TANDEM_DEMO: 'true', DATABASE_URL: server }).demo).toBe(true);
    expect(parseConfig({ TANDEM_DEMO: '1', POSTGRES_URL: server }).demo).toBe(true);
  });

  it('refuses anything else, naming the variable', () => {
    for (const value of ['yes', 'on', 'TRUE ']) {
      const parse = () => parseConfig({ TANDEM_DEMO: value });
      expect(parse).toThrow(ConfigError);
      expect(parse).toThrow(/TANDEM_DEMO must be true or false/);
    }
  });
});
