// Owns "did you mean": the closest known word to a misspelt command or flag, by edit distance (optimal string
// alignment: insert, delete, substitute, swap two neighbours) or by being a prefix of it.
// A suggestion is always one of our own words, and a typed word is only ever repeated back to the user when it is
// that close to one of ours (see closeEnough), so a secret pasted in the wrong place is never echoed.

/** Edit distance with adjacent transpositions counted as one edit ("lsit" → "list" is 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => (d[i] as number[])[j] as number;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return at(a.length, b.length);
}

/** Edits allowed before a word stops being "close": one for short words, two otherwise. */
const allowance = (candidate: string) => (candidate.length <= 4 ? 1 : 2);

/** Whether `typed` is a near-miss of `candidate`: within its allowance, or a prefix of at least 2 characters. */
export function closeEnough(typed: string, candidate: string): boolean {
  const t = typed.toLowerCase();
  if (t.length >= 2 && candidate.startsWith(t)) return true;
  return Math.abs(t.length - candidate.length) <= allowance(candidate) && editDistance(t, candidate) <= allowance(candidate);
}

/** The closest candidate that is close enough, or undefined. Ties go to the earlier candidate. */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (!closeEnough(typed, c)) continue;
    const dist = editDistance(typed.toLowerCase(), c);
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}
