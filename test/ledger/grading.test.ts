/**
 * From the facts of a clue to its place in the ledger, at every grade boundary: score → grade →
 * deadline tier (default policy) → key risk clue account (grade I–II, or the coordinator's flag).
 * Pure functions only; the import test checks the same chain on clocks written by real workflows.
 */
import { GRADE_THRESHOLDS, isKeyClue, riskGrade, riskScore, type RiskFactors } from '../../src/domain/risk';
import { DEFAULT_POLICY, tierDuration } from '../../src/policy';

const NONE: RiskFactors = {
  participants: 0,
  amountCny: 0,
  publicOpinion: 'none',
  stabilityRisk: 'low',
  targetsVulnerable: false,
  online: false,
};

// Each pair sits on both sides of a grade threshold, built from real factor combinations.
const CASES: [string, Partial<RiskFactors>, number, 'I' | 'II' | 'III' | 'IV', string, boolean][] = [
  ['nothing known', {}, 0, 'IV', 'P15D', false],
  [
    '30 people, 1m CNY, high stability risk',
    { participants: 30, amountCny: 1_000_000, stabilityRisk: 'high' },
    29,
    'IV',
    'P15D',
    false,
  ],
  [
    '30 people, critical stability risk',
    { participants: 30, stabilityRisk: 'critical' },
    30,
    'III',
    'P10D',
    false,
  ],
  [
    '150 people, 50m CNY, high stability risk',
    { participants: 150, amountCny: 50_000_000, stabilityRisk: 'high' },
    49,
    'III',
    'P10D',
    false,
  ],
  [
    '150 people, 50m CNY, regional opinion, online',
    { participants: 150, amountCny: 50_000_000, publicOpinion: 'regional', online: true },
    50,
    'II',
    'P5D',
    true,
  ],
  [
    '1200 people, 12.5m CNY, regional opinion, high stability risk, online',
    {
      participants: 1200,
      amountCny: 12_500_000,
      publicOpinion: 'regional',
      stabilityRisk: 'high',
      online: true,
    },
    69,
    'II',
    'P5D',
    true,
  ],
  [
    '1000 people, 100m CNY, critical stability risk',
    { participants: 1000, amountCny: 100_000_000, stabilityRisk: 'critical' },
    70,
    'I',
    'P3D',
    true,
  ],
  [
    'everything at its maximum',
    {
      participants: 5000,
      amountCny: 1e9,
      publicOpinion: 'national',
      stabilityRisk: 'critical',
      targetsVulnerable: true,
      online: true,
    },
    100,
    'I',
    'P3D',
    true,
  ],
];

describe('from facts to the ledger', () => {
  test.each(CASES)(
    '%s %j → score %i → grade %s → verification within %s, key clue %s',
    (_what, facts, score, grade, tier, key) => {
      const s = riskScore({ ...NONE, ...facts }).score;
      expect(s).toBe(score);
      expect(riskGrade(s)).toBe(grade);
      expect(tierDuration(DEFAULT_POLICY, 'verification', grade)).toBe(tier);
      expect(isKeyClue(grade, false)).toBe(key);
      // The coordinator's flag puts any grade on the key risk clue account.
      expect(isKeyClue(grade, true)).toBe(true);
    },
  );

  test('the cases cover both sides of every threshold', () => {
    for (const { minScore } of GRADE_THRESHOLDS) {
      expect(CASES.some(([, , s]) => s === minScore)).toBe(true);
      expect(CASES.some(([, , s]) => s === minScore - 1)).toBe(true);
    }
  });

  test('graver grades never get longer clocks, for every task with per-grade tiers', () => {
    const days = (d: string) => Number(/^P(\d+)D$/.exec(d)![1]);
    for (const task of Object.keys(DEFAULT_POLICY.tiers) as (keyof typeof DEFAULT_POLICY.tiers)[]) {
      const d = (['I', 'II', 'III', 'IV'] as const).map((g) => days(tierDuration(DEFAULT_POLICY, task, g)));
      expect([task, d]).toEqual([task, [...d].sort((a, b) => a - b)]);
    }
  });
});
