// Owns the one error type for bad command lines: always exit 2, and nothing has been sent.

export class UsageError extends Error {
  readonly code = 'ERR_APIKEY_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
