/**
 * Errors: one base class with a literal `code`, a numeric `status`, a `detail`, a `cause` and
 * `retryable`. Errors cross process and network boundaries as plain {@link MicroErrorData}
 * and come back typed through {@link MicroError.from}. Guards are realm-safe: they check a
 * `Symbol.for` brand, not `instanceof`.
 */

const brand = Symbol.for('microcosm.error');

export const ERROR_CODES = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TIMEOUT: 408,
  CONFLICT: 409,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  CANCELLED: 499,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes a client may retry by default: the request may not have reached a healthy handler. */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['TIMEOUT', 'UNAVAILABLE']);

/** The wire form of an error. */
export interface MicroErrorData {
  readonly id: string;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly status: number;
  readonly retryable?: boolean;
}

export interface MicroErrorOptions {
  /** Who raised it (service name, or a component such as "client"). Default: "". */
  readonly id?: string;
  /** Whether retrying may succeed. Default: true for TIMEOUT and UNAVAILABLE. */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

export class MicroError extends Error {
  readonly [brand] = true;
  readonly id: string;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly status: number;
  readonly retryable: boolean;

  constructor(code: ErrorCode, detail: string, options: MicroErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MicroError';
    this.id = options.id ?? '';
    this.code = code;
    this.detail = detail;
    this.status = ERROR_CODES[code];
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(code);
  }

  toJSON(): MicroErrorData {
    return { id: this.id, code: this.code, detail: this.detail, status: this.status, retryable: this.retryable };
  }

  /** Rebuild a typed error from its wire form; anything unrecognisable becomes INTERNAL. */
  static from(data: unknown): MicroError {
    if (isMicroError(data)) return data;
    if (isErrorData(data)) {
      const options: MicroErrorOptions =
        data.retryable === undefined ? { id: data.id } : { id: data.id, retryable: data.retryable };
      return new MicroError(data.code, data.detail, options);
    }
    return new MicroError('INTERNAL', 'malformed error payload');
  }
}

export function isMicroError(value: unknown): value is MicroError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

function isErrorData(value: unknown): value is MicroErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' && v.code in ERROR_CODES && typeof v.detail === 'string' && typeof v.id === 'string'
  );
}

export const badRequest = (detail: string, options?: MicroErrorOptions) =>
  new MicroError('BAD_REQUEST', detail, options);
export const unauthorized = (detail: string, options?: MicroErrorOptions) =>
  new MicroError('UNAUTHORIZED', detail, options);
export const forbidden = (detail: string, options?: MicroErrorOptions) => new MicroError('FORBIDDEN', detail, options);
export const notFound = (detail: string, options?: MicroErrorOptions) => new MicroError('NOT_FOUND', detail, options);
export const timeout = (detail: string, options?: MicroErrorOptions) => new MicroError('TIMEOUT', detail, options);
export const conflict = (detail: string, options?: MicroErrorOptions) => new MicroError('CONFLICT', detail, options);
export const internal = (detail: string, options?: MicroErrorOptions) => new MicroError('INTERNAL', detail, options);
export const unavailable = (detail: string, options?: MicroErrorOptions) =>
  new MicroError('UNAVAILABLE', detail, options);
export const cancelled = (detail: string, options?: MicroErrorOptions) => new MicroError('CANCELLED', detail, options);

/**
 * Turn anything thrown by user code into a MicroError that is safe to send: a MicroError
 * passes through; anything else becomes INTERNAL without its message or stack.
 */
export function toMicroError(thrown: unknown, id = ''): MicroError {
  if (isMicroError(thrown)) return thrown;
  return new MicroError('INTERNAL', 'internal error', { id, cause: thrown, retryable: false });
}
