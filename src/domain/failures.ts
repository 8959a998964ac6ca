/** Typed failures shared by workflows, activities and the API error handler (one enum, one mapping). */
import { ApplicationFailure } from '@temporalio/common';

export enum FailureType {
  /** The current stage does not allow this transition → HTTP 409. */
  InvalidTransition = 'InvalidTransition',
  /** The content breaks a business rule → HTTP 422. */
  InvalidInput = 'InvalidInput',
  /** A referenced item (milestone, clock, extension) does not exist → HTTP 422. */
  UnknownItem = 'UnknownItem',
  /** A business key already holds a different value → HTTP 409. */
  Conflict = 'Conflict',
  /** Configuration or data that can never succeed on retry. */
  Permanent = 'Permanent',
}

export interface TransitionDetails {
  stage: string;
  allowed: string[];
}

export function invalidTransition(action: string, stage: string, allowed: string[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.InvalidTransition,
    message: `"${action}" is not allowed in stage "${stage}"`,
    nonRetryable: true,
    details: [{ stage, allowed } satisfies TransitionDetails],
  });
}

export function invalidInput(message: string, path: string[] = []): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.InvalidInput,
    message,
    nonRetryable: true,
    details: [{ path }],
  });
}

export function unknownItem(message: string, path: string[] = []): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.UnknownItem,
    message,
    nonRetryable: true,
    details: [{ path }],
  });
}
