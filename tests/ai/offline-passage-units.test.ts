import { describe, expect, it } from 'vitest';
import { parseSource, splitSentences, unitsOf } from '@/lib/ai/offline/passage-units';
import type { PromptSource } from '@/lib/ai/sources';

const source = (text: string): PromptSource => ({
  index: 1,
  title: 'Renting a bike',
  section: 'Prices',
  text,
});

describe('passage units', () => {
  it('splits sentences, and clauses at a semicolon, but not inside prices, addresses or "e.g."', () => {
    expect(
      splitSentences(
        'A day pass costs €15.50 at pedalo.example, e.g. for a city bike. Helmets are free! Are locks included? Yes; e-bikes also get a charger.',
      ),
    ).toEqual([
      'A day pass costs €15.50 at pedalo.example, e.g. for a city bike.',
      'Helmets are free!',
      'Are locks included?',
      'Yes;',
      'e-bikes also get a charger.',
    ]);
    expect(splitSentences('押金会在 3 个工作日内退还。银行转账最长需要 7 天。')).toEqual([
      '押金会在 3 个工作日内退还。',
      '银行转账最长需要 7 天。',
    ]);
  });

  it('reads a list with its lead, its items named by their bold lead or "Name:", and nested lists', () => {
    const parsed = parseSource(
      source(
        'We keep it simple. Before you ride, check:\n\n- **Brakes:** squeeze both levers.\n- Tyres: press them firmly.\n- The bell\n\n1. Open the app.\n2. Choose a lock:\n   - **Chain** for city bikes\n   - **U-lock** for e-bikes\n3. Scan the QR code.',
      ),
    );
    const [intro, checks, steps] = parsed.blocks;
    expect(intro!.units.map((u) => u.text)).toEqual(['We keep it simple.']);
    expect(checks!.lead?.text).toBe('Before you ride, check:');
    expect(checks!.leadParagraph).toBe(intro);
    expect(intro!.introduces).toBe(checks);
    expect(checks!.units.map((u) => u.label)).toEqual(['Brakes', 'Tyres', '']);
    expect(steps!.ordered).toBe(true);
    expect(steps!.units.map((u) => u.text)).toEqual([
      'Open the app.',
      'Choose a lock:\n   - **Chain** for city bikes\n   - **U-lock** for e-bikes',
      'Scan the QR code.',
    ]);
  });

  it('reads a table as rows named by their first cell, under its header', () => {
    const parsed = parseSource(
      source(
        'Prices per bike:\n\n| Bike | Per hour | Per day |\n| --- | --- | --- |\n| City bike | €3 | €15 |\n| E-bike | €6 | €30 |\n\nPrices include VAT.',
      ),
    );
    const table = parsed.blocks.find((b) => b.kind === 'table')!;
    expect(table.header).toEqual(['Bike', 'Per hour', 'Per day']);
    expect(table.lead?.text).toBe('Prices per bike:');
    expect(table.units.map((u) => [u.label, u.text])).toEqual([
      ['City bike', 'City bike | €3 | €15'],
      ['E-bike', 'E-bike | €6 | €30'],
    ]);
    expect(unitsOf(parsed).map((u) => u.kind)).toEqual(['sentence', 'row', 'row', 'sentence']);
  });

  it('keeps the rows of a table cut in two by the chunker, without a header', () => {
    const parsed = parseSource(
      source('  | Weekend | €20 |\n| Week | €60 |\n\nPrices include VAT.'),
    );
    expect(parsed.blocks[0]!.header).toEqual([]);
    expect(parsed.blocks[0]!.units.map((u) => u.label)).toEqual(['Weekend', 'Week']);
  });
});
