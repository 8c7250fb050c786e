// "Did you mean": the candidate nearest a misspelt word, for every error that names a field, a verb,
// a selector or a setting (YAML drills, topologies, Kafka settings).

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The closest candidate to a misspelt word, when one is close enough to be what was meant. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // "wipe" for "wipe-data", "timeout_seconds" for "timeout-seconds": the dashes, not the letters, differ.
  const bare = (w: string) => w.toLowerCase().replace(/[-_ ]/g, "");
  const byParts = candidates.filter((c) => bare(c) === bare(word) || c.startsWith(`${word.toLowerCase()}-`));
  if (byParts.length === 1) return byParts[0];
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate);
    if (!best || d < best.d) best = { candidate, d };
  }
  // Two edits cover a typo or a swapped pair; beyond that the guess misleads more than it helps.
  return best && best.d <= Math.min(2, Math.ceil(word.length / 3)) ? best.candidate : undefined;
}
