// Owns the interactive-vs-scriptable decision, made before Ink is ever imported (so a
// scripted call never pays for loading it).

/** Mirrors is-in-ci: CI or CONTINUOUS_INTEGRATION set to anything but '0'/'false'. */
export function isCi(env: Record<string, string | undefined>): boolean {
  return ['CI', 'CONTINUOUS_INTEGRATION'].some((k) => {
    const v = env[k];
    return v !== undefined && v !== '0' && v.toLowerCase() !== 'false';
  });
}

export function isInteractive(o: {
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  env: Record<string, string | undefined>;
  json: boolean;
  yes: boolean;
}): boolean {
  return o.stdinIsTTY && o.stdoutIsTTY && !isCi(o.env) && !o.json && !o.yes;
}
