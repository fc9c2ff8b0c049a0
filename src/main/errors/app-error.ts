import type { ApiError, ErrorCode } from '../../shared/errors';

/**
 * The exception services throw for conditions an admin can act on. It carries a contract error
 * code, so `dispatch` passes it through unchanged instead of calling it INTERNAL.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly existingId?: number;

  constructor(code: ErrorCode, message: string, extra: { field?: string; existingId?: number; cause?: unknown } = {}) {
    super(message, { cause: extra.cause });
    this.name = 'AppError';
    this.code = code;
    if (extra.field !== undefined) this.field = extra.field;
    if (extra.existingId !== undefined) this.existingId = extra.existingId;
  }

  toApiError(): ApiError {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.existingId !== undefined ? { existingId: this.existingId } : {}),
    };
  }
}
