/** Typed search attributes kept current by every workflow, so `temporal workflow list --query` answers operational questions. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA_STAGE = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD);
export const SA_GRADE = defineSearchAttributeKey('Grade', SearchAttributeType.KEYWORD);
export const SA_LEAD_UNIT = defineSearchAttributeKey('LeadUnit', SearchAttributeType.KEYWORD);
export const SA_OVERDUE_LEVEL = defineSearchAttributeKey('OverdueLevel', SearchAttributeType.INT);
export const SA_NEXT_DUE_TIME = defineSearchAttributeKey('NextDueTime', SearchAttributeType.DATETIME);

export const SEARCH_ATTRIBUTES = [SA_STAGE, SA_GRADE, SA_LEAD_UNIT, SA_OVERDUE_LEVEL, SA_NEXT_DUE_TIME];
