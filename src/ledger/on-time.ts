/**
 * The on-time rate, one definition for the ledger statistics, the weekly digest and the campaign
 * documents: on time ÷ (done + open overdue). A clock still open after its due time (or already
 * escalated) counts as late — otherwise a unit that simply never finishes would look punctual.
 * Clocks still within their time limit and cancelled ones are left out (and reported).
 */

export interface OnTimeFigures {
  /** done + openOverdue: the denominator. */
  counted: number;
  done: number;
  onTime: number;
  lateDone: number;
  openOverdue: number;
  openNotDue: number;
  cancelled: number;
  /** onTime / counted, null when nothing has fallen due. */
  rate: number | null;
  /** Clocks that reached escalation level 1+ / 2+ (level stays after a late completion). */
  escalated: number;
  escalatedHigh: number;
}

/** One group's counts, as `ON_TIME_COLUMNS` selects them (PostgreSQL may hand counts over as strings). */
export interface OnTimeRow {
  done: number | string;
  on_time: number | string;
  late_done: number | string;
  open_overdue: number | string;
  open_not_due: number | string;
  cancelled: number | string;
  escalated: number | string;
  escalated_high: number | string;
}

const OVERDUE = `k.status in ('open', 'paused') and (k.level > 0 or k.due_at <= ?)`;

/**
 * The select-list columns over `clocks k` that `onTimeOf` reads. Takes two bind parameters, both the
 * "as of" moment, before any parameter of the rest of the statement.
 */
export const ON_TIME_COLUMNS = `count(*) filter (where k.status = 'done')::int as done,
            count(*) filter (where k.status = 'done' and not k.late)::int as on_time,
            count(*) filter (where k.status = 'done' and k.late)::int as late_done,
            count(*) filter (where ${OVERDUE})::int as open_overdue,
            count(*) filter (where k.status in ('open', 'paused') and not (${OVERDUE}))::int as open_not_due,
            count(*) filter (where k.status = 'cancelled')::int as cancelled,
            count(*) filter (where k.status <> 'cancelled' and k.level >= 1)::int as escalated,
            count(*) filter (where k.status <> 'cancelled' and k.level >= 2)::int as escalated_high`;

/** The figures of one or more groups of clocks (summed). */
export function onTimeOf(rows: readonly OnTimeRow[]): OnTimeFigures {
  const sum = (k: keyof OnTimeRow) => rows.reduce((s, r) => s + Number(r[k]), 0);
  const done = sum('done');
  const openOverdue = sum('open_overdue');
  const onTime = sum('on_time');
  const counted = done + openOverdue;
  return {
    counted,
    done,
    onTime,
    lateDone: sum('late_done'),
    openOverdue,
    openNotDue: sum('open_not_due'),
    cancelled: sum('cancelled'),
    rate: counted > 0 ? onTime / counted : null,
    escalated: sum('escalated'),
    escalatedHigh: sum('escalated_high'),
  };
}
