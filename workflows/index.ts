export { clueWorkflow } from './clue.workflow';
