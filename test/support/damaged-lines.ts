/**
 * `count` copies of lines picked from `lines`, each with one random edit (a character replaced by, or inserted from,
 * `alphabet`, or one deleted), from a fixed seed: the same damage every run.
 */
export function damagedLines(lines: readonly string[], count: number, alphabet: string, seed: number): string[] {
  let state = seed;
  const random = (n: number) => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) % n;
  const damaged: string[] = [];
  for (let k = 0; k < count; k++) {
    const text = lines[random(lines.length)] as string;
    const at = random(text.length);
    const c = alphabet[random(alphabet.length)] as string;
    const kind = random(3);
    damaged.push(kind === 0 ? text.slice(0, at) + c + text.slice(at + 1) : kind === 1 ? text.slice(0, at) + c + text.slice(at) : text.slice(0, at) + text.slice(at + 1));
  }
  return damaged;
}
