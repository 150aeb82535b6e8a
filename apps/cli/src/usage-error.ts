// Owns the one error type for bad command lines: always exit 2, and nothing has been sent.

export class UsageError extends Error {
  readonly code = 'ERR_APIKEY_USAGE';
  /** The command whose help explains the mistake ('create', 'auth status'); '' for the main help. */
  readonly helpTopic: string;
  constructor(message: string, helpTopic = '') {
    super(message);
    this.name = 'UsageError';
    this.helpTopic = helpTopic;
  }

  /** The line after the message: where to read how it is done. */
  get pointer(): string {
    return `Run 'apikey ${this.helpTopic === '' ? '' : `${this.helpTopic} `}--help' for usage.`;
  }
}
