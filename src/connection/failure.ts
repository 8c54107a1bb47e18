import type { RequestFailure } from './types.js';

/** The concrete RequestFailure every rejection in the connection layer uses. */
export class RequestError extends Error implements RequestFailure {
  override readonly name = 'RequestFailure';
  constructor(
    readonly kind: RequestFailure['kind'],
    message: string,
    readonly errorType?: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}
