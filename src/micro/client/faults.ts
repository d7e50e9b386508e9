/** How the client classifies what went wrong with an attempt. */
import { internal, isMicroError, type MicroError } from '../errors.js';

/** Failures that say something about the node rather than the request (they count against it). */
export function isNodeFault(error: MicroError): boolean {
  return error.code === 'TIMEOUT' || error.code === 'UNAVAILABLE';
}

/** Anything thrown, as a MicroError (a foreign throw becomes a non-retryable INTERNAL). */
export function asMicroError(thrown: unknown): MicroError {
  return isMicroError(thrown) ? thrown : internal('client failure', { id: 'client', cause: thrown, retryable: false });
}
