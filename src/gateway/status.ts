/** MicroError → HTTP status. A gateway's timeout is the upstream's, so TIMEOUT is 504, not 408. */
import type { ErrorCode } from '../micro/errors.js';

const STATUS: Readonly<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TIMEOUT: 504,
  CONFLICT: 409,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  CANCELLED: 499,
};

export function httpStatusOf(code: ErrorCode): number {
  return STATUS[code];
}
