/**
 * One link builder for every message and page: emails, robot messages and the workbench (issue 11)
 * all name a page the same way, so a link in a message always opens the page where its recipient acts.
 * PURE module (no Node built-ins): the web app may share it.
 *
 * Workbench routes (the web app at `/` implements these paths):
 *   /my-work                               a unit's open clocks (unit officer's landing page)
 *   /clues/:clueId                         a clue: facts, stage, clocks, timeline, the forms its stage allows
 *   /reviews/:queue                        coordinator review queues: plans | extensions | closures | referrals
 *   /escalations/:escalationId             a leader's 督办 item with the acknowledgement form
 *   /escalations                           the overdue-escalation list
 *   /referrals/:clueId                     police liaison: the hand-off, accept or return
 *   /campaigns/:campaignId                 campaign progress
 *   /campaigns/:campaignId/units/:unitId   a unit's campaign deliverables
 */

export type LinkTarget =
  | { page: 'my-work' }
  | { page: 'clue'; clueId: string }
  | { page: 'review'; queue: 'plans' | 'extensions' | 'closures' | 'referrals' }
  | { page: 'escalations' }
  | { page: 'escalation'; escalationId: string | number }
  | { page: 'referral'; clueId: string }
  | { page: 'campaign'; campaignId: string }
  | { page: 'campaign-unit'; campaignId: string; unitId: string };

const seg = (s: string | number) => encodeURIComponent(String(s));

/** The path of a workbench page (no origin). */
export function pathTo(t: LinkTarget): string {
  switch (t.page) {
    case 'my-work':
      return '/my-work';
    case 'clue':
      return `/clues/${seg(t.clueId)}`;
    case 'review':
      return `/reviews/${seg(t.queue)}`;
    case 'escalations':
      return '/escalations';
    case 'escalation':
      return `/escalations/${seg(t.escalationId)}`;
    case 'referral':
      return `/referrals/${seg(t.clueId)}`;
    case 'campaign':
      return `/campaigns/${seg(t.campaignId)}`;
    case 'campaign-unit':
      return `/campaigns/${seg(t.campaignId)}/units/${seg(t.unitId)}`;
  }
}

/** The absolute link (PUBLIC_URL + path); a trailing slash on the base is ignored. */
export function linkTo(publicUrl: string, t: LinkTarget): string {
  return publicUrl.replace(/\/+$/, '') + pathTo(t);
}
