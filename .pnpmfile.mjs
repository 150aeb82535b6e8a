// pnpm hooks for this workspace.
// beforePacking: the CLI's tarball carries one self-contained bundle (apps/cli/dist, built by its prepack script),
// so the package.json inside it lists no dependencies (the workspace ones could not be installed from a registry)
// and no scripts (they run workspace tooling that is not in the tarball).

export const hooks = {
  beforePacking(pkg) {
    if (pkg.name !== '@apikey/cli') return pkg;
    const { dependencies, devDependencies, peerDependencies, optionalDependencies, scripts, ...published } = pkg;
    return published;
  },
};
