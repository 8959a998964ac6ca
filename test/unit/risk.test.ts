import { GRADES, PUBLIC_OPINION_LEVELS, STABILITY_RISK_LEVELS } from '../../src/domain/enums';
import type { Grade } from '../../src/domain/enums';
import {
  GRADE_THRESHOLDS,
  RISK_WEIGHTS,
  bandPoints,
  isKeyClue,
  riskGrade,
  riskScore,
  type RiskFactors,
} from '../../src/domain/risk';

const ZERO: RiskFactors = {
  participants: 0,
  amountCny: 0,
  publicOpinion: 'none',
  stabilityRisk: 'low',
  targetsVulnerable: false,
  online: false,
};

const MAX: RiskFactors = {
  participants: 1_000_000,
  amountCny: 1e12,
  publicOpinion: 'national',
  stabilityRisk: 'critical',
  targetsVulnerable: true,
  online: true,
};

describe('RISK_WEIGHTS', () => {
  it('factor maxima sum to 100', () => {
    const total = Object.values(RISK_WEIGHTS).reduce((s, w) => s + w.max, 0);
    expect(total).toBe(100);
  });

  it('band tables start at 0 points, ascend strictly and end at the factor max', () => {
    for (const w of [RISK_WEIGHTS.participants, RISK_WEIGHTS.amountCny]) {
      expect(w.bands[0]).toEqual({ min: 0, points: 0 });
      for (let i = 1; i < w.bands.length; i++) {
        expect(w.bands[i]!.min).toBeGreaterThan(w.bands[i - 1]!.min);
        expect(w.bands[i]!.points).toBeGreaterThan(w.bands[i - 1]!.points);
      }
      expect(w.bands[w.bands.length - 1]!.points).toBe(w.max);
    }
  });

  it('ordered levels score monotonically and top out at the factor max', () => {
    const op = PUBLIC_OPINION_LEVELS.map((l) => RISK_WEIGHTS.publicOpinion.points[l]);
    const st = STABILITY_RISK_LEVELS.map((l) => RISK_WEIGHTS.stabilityRisk.points[l]);
    expect(op).toEqual([...op].sort((a, b) => a - b));
    expect(st).toEqual([...st].sort((a, b) => a - b));
    expect(op[op.length - 1]).toBe(RISK_WEIGHTS.publicOpinion.max);
    expect(st[st.length - 1]).toBe(RISK_WEIGHTS.stabilityRisk.max);
  });
});

describe('riskScore – participants bands', () => {
  it.each([
    [0, 0],
    [9, 0],
    [10, 5],
    [29, 5],
    [30, 10],
    [149, 10],
    [150, 15],
    [499, 15],
    [500, 20],
    [999, 20],
    [1000, 25],
    [1_000_000, 25],
  ])('%i participants → %i points', (participants, points) => {
    const r = riskScore({ ...ZERO, participants });
    expect(r.breakdown.participants).toBe(points);
    expect(r.score).toBe(points);
  });
});

describe('riskScore – amount bands (CNY)', () => {
  it.each([
    [0, 0],
    [999_999, 0],
    [999_999.99, 0],
    [1_000_000, 5],
    [4_999_999, 5],
    [5_000_000, 10],
    [9_999_999, 10],
    [10_000_000, 15],
    [49_999_999, 15],
    [50_000_000, 20],
    [99_999_999, 20],
    [100_000_000, 25],
    [5_000_000_000, 25],
  ])('%d CNY → %i points', (amountCny, points) => {
    const r = riskScore({ ...ZERO, amountCny });
    expect(r.breakdown.amountCny).toBe(points);
    expect(r.score).toBe(points);
  });
});

describe('riskScore – levels and flags', () => {
  it.each([
    ['none', 0],
    ['local', 5],
    ['regional', 10],
    ['national', 15],
  ] as const)('public opinion %s → %i', (publicOpinion, points) => {
    expect(riskScore({ ...ZERO, publicOpinion }).score).toBe(points);
  });

  it.each([
    ['low', 0],
    ['medium', 7],
    ['high', 14],
    ['critical', 20],
  ] as const)('stability risk %s → %i', (stabilityRisk, points) => {
    expect(riskScore({ ...ZERO, stabilityRisk }).score).toBe(points);
  });

  it('vulnerable targets add 10, online spread adds 5', () => {
    expect(riskScore({ ...ZERO, targetsVulnerable: true }).score).toBe(10);
    expect(riskScore({ ...ZERO, online: true }).score).toBe(5);
  });
});

describe('riskScore – totals', () => {
  it('is 0 for an empty clue and 100 at the maximum', () => {
    expect(riskScore(ZERO).score).toBe(0);
    expect(riskScore(MAX)).toEqual({
      score: 100,
      breakdown: {
        participants: 25,
        amountCny: 25,
        publicOpinion: 15,
        stabilityRisk: 20,
        targetsVulnerable: 10,
        online: 5,
      },
    });
  });

  it('sums the breakdown into an integer score', () => {
    const r = riskScore({
      participants: 200,
      amountCny: 2_345_678.9,
      publicOpinion: 'local',
      stabilityRisk: 'medium',
      targetsVulnerable: true,
      online: true,
    });
    expect(r.breakdown).toEqual({
      participants: 15,
      amountCny: 5,
      publicOpinion: 5,
      stabilityRisk: 7,
      targetsVulnerable: 10,
      online: 5,
    });
    expect(r.score).toBe(47);
    expect(Number.isInteger(r.score)).toBe(true);
  });

  it('treats negative, NaN and infinite counts/amounts as unknown (0)', () => {
    for (const bad of [-1, -1e9, Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(riskScore({ ...ZERO, participants: bad, amountCny: bad }).score).toBe(0);
    }
    expect(bandPoints(Number.POSITIVE_INFINITY, RISK_WEIGHTS.participants.bands)).toBe(0);
  });

  it('calibration examples from the module doc', () => {
    const filingThreshold = riskScore({
      ...ZERO,
      participants: 150,
      amountCny: 1_000_000,
      publicOpinion: 'local',
      stabilityRisk: 'medium',
    }).score;
    expect(filingThreshold).toBe(32);
    expect(riskGrade(filingThreshold)).toBe('III');

    const huge = riskScore({
      ...ZERO,
      participants: 500,
      amountCny: 5_000_000,
      publicOpinion: 'regional',
      stabilityRisk: 'high',
    }).score;
    expect(huge).toBe(54);
    expect(riskGrade(huge)).toBe('II');
  });
});

describe('riskGrade', () => {
  it.each([
    [0, 'IV'],
    [29, 'IV'],
    [30, 'III'],
    [49, 'III'],
    [50, 'II'],
    [69, 'II'],
    [70, 'I'],
    [100, 'I'],
  ] as const)('score %i → grade %s', (score, grade) => {
    expect(riskGrade(score)).toBe(grade);
  });

  it('thresholds are ordered most severe first and cover I–III', () => {
    expect(GRADE_THRESHOLDS.map((t) => t.grade)).toEqual(['I', 'II', 'III']);
    expect(GRADE_THRESHOLDS.map((t) => t.minScore)).toEqual([70, 50, 30]);
  });

  it('NaN falls through to IV', () => {
    expect(riskGrade(Number.NaN)).toBe('IV');
  });
});

describe('isKeyClue', () => {
  const table: [Grade, boolean, boolean][] = [
    ['I', false, true],
    ['II', false, true],
    ['III', false, false],
    ['IV', false, false],
    ['I', true, true],
    ['II', true, true],
    ['III', true, true],
    ['IV', true, true],
  ];
  it.each(table)('grade %s, coordinator flag %s → %s', (grade, flag, expected) => {
    expect(isKeyClue(grade, flag)).toBe(expected);
  });

  it('covers every grade', () => {
    expect(new Set(table.map(([g]) => g))).toEqual(new Set(GRADES));
  });
});
