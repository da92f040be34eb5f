import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const directory = path.join(process.cwd(), 'content', 'lexicons');
const files = readdirSync(directory).filter((name) => name.endsWith('.json'));

describe('the sentiment lexicons in content/lexicons', () => {
  it('are there: English, Chinese and emoji', () => {
    expect(files).toEqual(
      expect.arrayContaining(['sentiment-en.json', 'sentiment-zh.json', 'sentiment-emoji.json']),
    );
  });

  it.each(files)('%s says what it is, where it came from and its licence', (name) => {
    const lexicon = JSON.parse(readFileSync(path.join(directory, name), 'utf8'));
    for (const field of ['about', 'source', 'licence']) {
      expect(typeof lexicon[field]).toBe('string');
      expect(lexicon[field].length).toBeGreaterThan(10);
    }
  });
});
