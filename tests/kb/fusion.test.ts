import { describe, expect, it } from 'vitest';
import { fuseRankings, RRF_K } from '@/lib/kb/fusion';

describe('reciprocal-rank fusion', () => {
  it('sums 1 / (k + rank) over the rankings an item appears in', () => {
    const fused = fuseRankings([{ ids: ['a', 'b', 'c'] }, { ids: ['c', 'a'] }]);
    const score = (...ranks: number[]) => ranks.reduce((sum, r) => sum + 1 / (RRF_K + r), 0);
    expect(fused).toEqual([
      { id: 'a', score: score(1, 2) },
      { id: 'c', score: score(3, 1) },
      { id: 'b', score: score(2) },
    ]);
  });

  it('lets an item both rankers agree on beat one that tops only a single ranking', () => {
    const fused = fuseRankings([
      { ids: ['lexical-only', 'both', 'x'] },
      { ids: ['vector-only', 'both', 'y'] },
    ]);
    expect(fused[0]!.id).toBe('both');
  });

  it('weights a ranking’s votes', () => {
    const rankings = [{ ids: ['a', 'b'] }, { ids: ['b', 'a'], weight: 0.5 }];
    expect(fuseRankings(rankings).map((item) => item.id)).toEqual(['a', 'b']);
    expect(fuseRankings(rankings, 1).map((item) => item.id)).toEqual(['a', 'b']);
    const heavier = [{ ids: ['a', 'b'] }, { ids: ['b', 'a'], weight: 2 }];
    expect(fuseRankings(heavier).map((item) => item.id)).toEqual(['b', 'a']);
  });

  it('keeps first-seen order on ties and handles empty rankings', () => {
    expect(fuseRankings([{ ids: ['a'] }, { ids: ['b'] }]).map((item) => item.id)).toEqual([
      'a',
      'b',
    ]);
    expect(fuseRankings([{ ids: [] }, { ids: [] }])).toEqual([]);
  });
});
