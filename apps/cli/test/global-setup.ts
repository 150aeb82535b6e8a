// Builds apps/cli/dist once before the suites that spawn the real binary.
export default async function setup(): Promise<void> {
  // @ts-expect-error plain .mjs build script without type declarations
  const { build } = (await import('../scripts/build.mjs')) as { build: () => Promise<void> };
  await build();
}
