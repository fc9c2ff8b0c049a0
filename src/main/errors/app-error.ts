import type { ApiError, ErrorCode, HostKey } from '../../shared/errors';

type ErrorOffer = NonNullable<ApiError['offer']>;

/**
 * The exception services throw for conditions an admin can act on. It carries a contract error
 * code, so `dispatch` passes it through unchanged instead of calling it INTERNAL.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly existingId?: number;
  readonly offer?: ErrorOffer;
  readonly hostKey?: HostKey;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { field?: string; existingId?: number; cause?: unknown; offer?: ErrorOffer; hostKey?: HostKey } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = 'AppError';
    this.code = code;
    if (extra.field !== undefined) this.field = extra.field;
    if (extra.existingId !== undefined) this.existingId = extra.existingId;
    if (extra.offer !== undefined) this.offer = extra.offer;
    if (extra.hostKey !== undefined) this.hostKey = extra.hostKey;
  }

  /** An error already translated for people, thrown on as it is (with what caused it, for the log). */
  static fromApiError(error: ApiError, cause?: unknown): AppError {
    const { code, message, ...extra } = error;
    return new AppError(code, message, { ...extra, cause });
  }

  toApiError(): ApiError {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.existingId !== undefined ? { existingId: this.existingId } : {}),
      ...(this.offer !== undefined ? { offer: this.offer } : {}),
      ...(this.hostKey !== undefined ? { hostKey: this.hostKey } : {}),
    };
  }
}
