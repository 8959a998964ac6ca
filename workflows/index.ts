export { clueWorkflow } from './clue.workflow';
export { campaignWorkflow } from './campaign.workflow';
export { unitDeliverablesWorkflow } from './unit-deliverables.workflow';
export { weeklyDigestWorkflow, duplicateNoticeWorkflow } from './digest.workflow';
