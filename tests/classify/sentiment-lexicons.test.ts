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

  it('hold the frustration cues too, each naming one of its weights', () => {
    const cues = JSON.parse(readFileSync(path.join(directory, 'frustration-cues.json'), 'utf8'));
    expect(cues.cues.length).toBeGreaterThan(0);
    for (const cue of cues.cues) {
      expect(Object.keys(cues.weights)).toContain(cue.weight);
      for (const pattern of cue.patterns) expect(() => new RegExp(pattern)).not.toThrow();
    }
  });

  it.each(files)('%s says what it is, where it came from and its licence', (name) => {
    const lexicon = JSON.parse(readFileSync(path.join(directory, name), 'utf8'));
    for (const field of ['about', 'source', 'licence']) {
      expect(typeof lexicon[field]).toBe('string');
      expect(lexicon[field].length).toBeGreaterThan(10);
    }
  });
});
