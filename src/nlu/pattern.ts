/** Whole-word patterns over normalised text (src/nlu/normalise.ts): tokens separated by single spaces. */

/** A case-sensitive regex matching any of `alternatives` (regex sources over tokens) as whole words. */
export function words(...alternatives: string[]): RegExp {
  return new RegExp(`(?:^| )(?:${alternatives.join('|')})(?= |$)`);
}
