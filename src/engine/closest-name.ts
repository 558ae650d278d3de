/**
 * The choice a mistyped name most likely meant, for "did you mean" hints: the one at the smallest edit
 * distance, if that distance is at most a third of the name's length (so `unset-seeds` → `unset-seed`,
 * while an unrelated word gets no suggestion), else one the name abbreviates (`min-params` →
 * `min-parameters`).
 */
export function closestName(name: string, choices: readonly string[]): string | undefined {
  return closestByEdits(name, choices) ?? abbreviated(name, choices);
}

/** The only choice that starts with the name's letters in order, word by word: `min-params` in `min-parameters`. */
function abbreviated(name: string, choices: readonly string[]): string | undefined {
  const words = name.toLowerCase().split(/[-_]/);
  if (words.some((w) => w.length < 2)) return undefined;
  const matches = choices.filter((choice) => {
    const parts = choice.toLowerCase().split(/[-_]/);
    return parts.length === words.length && parts.every((part, i) => part[0] === words[i][0] && isSubsequence(words[i], part));
  });
  return matches.length === 1 ? matches[0] : undefined;
}

function isSubsequence(short: string, long: string): boolean {
  let at = 0;
  for (const char of long) if (char === short[at]) at++;
  return at === short.length;
}

function closestByEdits(name: string, choices: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const choice of choices) {
    const distance = editDistance(name.toLowerCase(), choice.toLowerCase(), limit);
    if (distance < bestDistance) [best, bestDistance] = [choice, distance];
  }
  return best;
}

/** Levenshtein distance, giving up (returning limit + 1) once every path exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}
