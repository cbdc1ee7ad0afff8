/** A refusal the caller can act on: what, why, and the input field at fault. Handlers map it to the API's codes. */
export class WorkflowError extends Error {
  constructor(readonly code: 'validation' | 'conflict' | 'not_found' | 'unavailable', message: string, readonly field?: string) {
    super(message);
    this.name = 'WorkflowError';
  }
}
