/**
 * Risk score and grade for an illegal fund-raising clue.
 *
 * PURE module: no Node built-ins, no clock, no runtime imports except
 * `./enums`. Safe to import from Temporal workflow code.
 *
 * ## Formula, in plain words
 *
 * Every clue gets a score from 0 to 100, the sum of six factors. Each
 * factor has a maximum number of points; the maxima add up to 100:
 *
 * | factor                                   | max | how points are given                               |
 * |------------------------------------------|-----|----------------------------------------------------|
 * | number of participants (涉及人数)          |  25 | bands: <10 → 0, ≥10 → 5, ≥30 → 10, ≥150 → 15,     |
 * |                                          |     |        ≥500 → 20, ≥1000 → 25                       |
 * | amount involved, CNY (涉及金额)            |  25 | bands: <1m → 0, ≥1m → 5, ≥5m → 10, ≥10m → 15,      |
 * |                                          |     |        ≥50m → 20, ≥100m → 25                       |
 * | public opinion (舆情)                     |  15 | none 0, local 5, regional 10, national 15          |
 * | social-stability risk (维稳风险)           |  20 | low 0, medium 7, high 14, critical 20              |
 * | targets vulnerable people (老弱病残贫)      |  10 | yes 10, no 0                                       |
 * | spreads online (网络传播)                  |   5 | yes 5, no 0                                        |
 *
 * Band thresholds are inclusive lower bounds ("≥"). The score is always an
 * integer because every point value is an integer.
 *
 * Why these numbers:
 * - People and money are what make fund-raising "illegal fund-raising" and
 *   what drive the eventual harm, so together they carry half the score.
 * - The bands follow the thresholds in the Supreme People's Court
 *   interpretation on illegal fund-raising criminal cases (法释〔2010〕18号 as
 *   revised by 法释〔2022〕5号) for absorbing public deposits (非法吸收公众存款):
 *   criminal liability from 1,000,000 CNY or 150 depositors; "huge amount"
 *   (数额巨大) from 5,000,000 CNY or 500 depositors; "especially huge"
 *   (数额特别巨大) from 50,000,000 CNY. 30 depositors was the 2010 filing
 *   threshold for individuals and is kept as the point where a scheme is
 *   clearly reaching "the public". 10 participants, 10,000,000 and
 *   100,000,000 CNY are intermediate escalation steps chosen by us, and
 *   1,000 participants is where a district-level case is treated as maximal.
 *   NOTE: the suggested band at 100 participants (2010 individual
 *   "huge amount" threshold) was moved to 150 to match the current (2022)
 *   filing threshold.
 * - Social-stability risk (petitions, gatherings) weighs more than public
 *   opinion because it is what the district office is directly accountable
 *   for; public opinion still matters because it accelerates runs on a
 *   scheme.
 * - Schemes aimed at the elderly, disabled or poor are a stated campaign
 *   priority, and online spread widens the reach quickly, hence the flat
 *   bonuses.
 *
 * Grades: score ≥ 70 → I (red), ≥ 50 → II (orange), ≥ 30 → III (yellow),
 * otherwise IV (blue). Rough calibration: a scheme just over the criminal
 * filing threshold with local opinion and medium stability risk
 * (15 + 5 + 5 + 7 = 32) is III; a "huge amount" scheme with regional opinion
 * and high stability risk (20 + 10 + 10 + 14 = 54) is II; reaching I needs
 * large scale together with serious opinion/stability risk or vulnerable
 * victims.
 *
 * Key clues (重点线索) are grades I and II, plus any clue the coordinator
 * flags by hand.
 *
 * Input hygiene: negative or non-finite `participants` / `amountCny` are
 * treated as 0 (unknown), so that partially filled registrations never make
 * this function throw inside a workflow. Validate at the API boundary.
 */

import type { Grade, PublicOpinionLevel, StabilityRiskLevel } from './enums';

export interface RiskFactors {
  participants: number;
  amountCny: number;
  publicOpinion: PublicOpinionLevel;
  stabilityRisk: StabilityRiskLevel;
  targetsVulnerable: boolean;
  online: boolean;
}

/** A banded factor: `points` awarded when value ≥ `min`. Sorted ascending by `min`. */
export interface Band {
  readonly min: number;
  readonly points: number;
}

export const RISK_WEIGHTS = {
  participants: {
    max: 25,
    bands: [
      { min: 0, points: 0 },
      { min: 10, points: 5 },
      { min: 30, points: 10 },
      { min: 150, points: 15 },
      { min: 500, points: 20 },
      { min: 1000, points: 25 },
    ],
  },
  amountCny: {
    max: 25,
    bands: [
      { min: 0, points: 0 },
      { min: 1_000_000, points: 5 },
      { min: 5_000_000, points: 10 },
      { min: 10_000_000, points: 15 },
      { min: 50_000_000, points: 20 },
      { min: 100_000_000, points: 25 },
    ],
  },
  publicOpinion: {
    max: 15,
    points: { none: 0, local: 5, regional: 10, national: 15 },
  },
  stabilityRisk: {
    max: 20,
    points: { low: 0, medium: 7, high: 14, critical: 20 },
  },
  targetsVulnerable: { max: 10 },
  online: { max: 5 },
} as const satisfies {
  participants: { max: number; bands: readonly Band[] };
  amountCny: { max: number; bands: readonly Band[] };
  publicOpinion: { max: number; points: Record<PublicOpinionLevel, number> };
  stabilityRisk: { max: number; points: Record<StabilityRiskLevel, number> };
  targetsVulnerable: { max: number };
  online: { max: number };
};

/** Names of the score components, as used in `breakdown`. */
export type RiskFactorName = keyof typeof RISK_WEIGHTS;

/** Minimum score for each grade, most severe first. Anything below the last is IV. */
export const GRADE_THRESHOLDS = [
  { grade: 'I', minScore: 70 },
  { grade: 'II', minScore: 50 },
  { grade: 'III', minScore: 30 },
] as const satisfies readonly { grade: Grade; minScore: number }[];

/** Points for `value` under ascending `bands` (highest band whose `min` ≤ value). */
export function bandPoints(value: number, bands: readonly Band[]): number {
  const v = Number.isFinite(value) && value > 0 ? value : 0;
  let points = 0;
  for (const band of bands) {
    if (v >= band.min) points = band.points;
    else break;
  }
  return points;
}

export function riskScore(f: RiskFactors): { score: number; breakdown: Record<RiskFactorName, number> } {
  const w = RISK_WEIGHTS;
  const breakdown: Record<RiskFactorName, number> = {
    participants: bandPoints(f.participants, w.participants.bands),
    amountCny: bandPoints(f.amountCny, w.amountCny.bands),
    publicOpinion: w.publicOpinion.points[f.publicOpinion] ?? 0,
    stabilityRisk: w.stabilityRisk.points[f.stabilityRisk] ?? 0,
    targetsVulnerable: f.targetsVulnerable ? w.targetsVulnerable.max : 0,
    online: f.online ? w.online.max : 0,
  };
  let score = 0;
  for (const points of Object.values(breakdown)) score += points;
  return { score: Math.max(0, Math.min(100, Math.round(score))), breakdown };
}

export function riskGrade(score: number): Grade {
  for (const t of GRADE_THRESHOLDS) {
    if (score >= t.minScore) return t.grade;
  }
  return 'IV';
}

/** Key clue (重点线索): grade I or II, or flagged by the coordinator. */
export function isKeyClue(grade: Grade, coordinatorFlag: boolean): boolean {
  return coordinatorFlag || grade === 'I' || grade === 'II';
}
