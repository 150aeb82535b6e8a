// Part of `pnpm lint`: the repo stands alone. No comment, doc or test may point at files that are not in the
// repo (a design or reference document kept elsewhere, a path of one machine); a fact the code relies on is
// written in the repo's own docs or cites a public URL. Fails listing each offending line.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Each name is written with one letter in brackets, so this file does not match its own search and a plain
// `git grep` for those names finds nothing in the repo.
const PATTERN = ['referenc[e] §', 'referenc[e]/', 'DESIG[N]\\.md', 'terminal-u[i]\\.md', 'slack-platfor[m]', 'slack-lifecycl[e]', 'ncp-product[s]', 'ncp-api-gatewa[y]', '/wor[k]/'].join('|');

// --untracked: a new file fails before it is committed too; .gitignore'd files (node_modules, dist) are skipped.
const r = spawnSync('git', ['grep', '-nIE', '--untracked', PATTERN, '--', '.'], { cwd: root, encoding: 'utf8' });
if (r.status === 1) {
  console.log('check-standalone: no references to files outside the repo');
} else if (r.status === 0) {
  console.error(`check-standalone: these lines cite files that are not in the repo; state the fact here or cite a public URL:\n${r.stdout}`);
  process.exitCode = 1;
} else {
  console.error(`check-standalone: git grep failed (${r.status}): ${r.stderr || r.error}`);
  process.exitCode = 2;
}
