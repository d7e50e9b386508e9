/**
 * A backend client's failure as a MicroError: anything the client throws that is not already a
 * MicroError becomes a retryable UNAVAILABLE naming the backend and the operation (the request
 * may or may not have taken effect, as with any lost connection).
 */
import { isMicroError, type MicroError, unavailable } from '../micro/errors.js';

export function backendError(backend: string, operation: string, error: unknown): MicroError {
  if (isMicroError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return unavailable(`${backend} ${operation}: ${message}`, { id: backend, cause: error });
}

/** Run one backend operation, mapping its failures with {@link backendError}. */
export async function attemptOn<T>(backend: string, operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw backendError(backend, operation, error);
  }
}
