// Owns the process boundary the commands write to, so they can be driven with fakes and stdout stays JSON-only.
// Uses the process global and getBuiltinModule rather than ESM imports of builtins (see main.ts for why).


export type Io = {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  /** Colours for human output on stdout (off for NO_COLOR, --no-color, or a non-TTY stdout). */
  color: boolean;
};

export function processIo(noColorFlag: boolean): Io {
  const { isatty } = process.getBuiltinModule('node:tty');
  const env = process.env;
  // isatty(fd) rather than process.stdin.isTTY: touching process.stdin builds a stream, which --help never needs.
  const stdoutIsTTY = isatty(1);
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    env,
    stdinIsTTY: isatty(0),
    stdoutIsTTY,
    color: stdoutIsTTY && !noColorFlag && !noColorEnv(env),
  };
}

/** no-color.org: NO_COLOR present and not empty disables colour. */
export function noColorEnv(env: Record<string, string | undefined>): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}
