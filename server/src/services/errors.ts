import type { ErrorCode } from '@mlx-manager/contract';

/**
 * A failure a service reports to its caller in domain terms; the HTTP layer maps `code` to a
 * status (http/errors.ts) and the CLI prints `message`. Never carries secrets.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
