// Owns the two things every start-up does before it knows what it will run — read argv and, for --help and
// --version, write text to stdout — without touching the `process` global on Deno. On Deno the first touch of
// `process` initialises its Node compatibility layer (~60 ms, more than a whole `deno eval ''`); `Deno.args`
// and `Deno.stdout` cost nothing. On Node, process.getBuiltinModule('node:fs') avoids an ESM import of node:fs
// (which would build a facade of all its exports and pull in the streams module).

type DenoLike = { args: string[]; stdout: { writeSync(b: Uint8Array): number } };
const deno = (globalThis as { Deno?: DenoLike }).Deno;

/** The command-line arguments after the script. */
export function argv(): string[] {
  return deno ? [...deno.args] : process.argv.slice(2);
}

/** Writes `text` to stdout synchronously, bypassing process.stdout (a stream --help never needs). */
export function writeStdout(text: string): void {
  if (!deno) {
    process.getBuiltinModule('node:fs').writeSync(1, text);
    return;
  }
  let bytes = new TextEncoder().encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(deno.stdout.writeSync(bytes));
}

/** Sets the exit status; a success leaves `process` untouched (0 is the default on both runtimes). */
export function setExitCode(code: number): void {
  if (code !== 0) process.exitCode = code;
}
