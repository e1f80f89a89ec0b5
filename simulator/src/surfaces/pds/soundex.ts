/**
 * American Soundex, which PDS's fuzzy search uses to match homophones such as Smith and Smythe
 * (patient-search.yaml, "Fuzzy search"): the first letter, then up to three digits for the
 * consonant groups that follow, adjacent repeats collapsed, h and w transparent, vowels separating.
 */
const codes = new Map<string, string>(
  ['bfpv', 'cgjkqsxz', 'dt', 'l', 'mn', 'r'].flatMap((group, index) =>
    [...group].map((letter) => [letter, String(index + 1)] as const),
  ),
);

/** The Soundex code of a folded (lower-case, unaccented) name; '' when it has no letters. */
export function soundex(foldedName: string): string {
  const letters = foldedName.replace(/[^a-z]/g, '');
  const first = letters[0];
  if (first === undefined) return '';
  let code = first.toUpperCase();
  let previous = codes.get(first) ?? '';
  for (let i = 1; i < letters.length && code.length < 4; i++) {
    const letter = letters[i] as string;
    const digit = codes.get(letter);
    if (digit === undefined) {
      // Vowels separate equal codes (Tymczak: the c after the vowel counts again); h and w do not.
      if (letter !== 'h' && letter !== 'w') previous = '';
      continue;
    }
    if (digit !== previous) code += digit;
    previous = digit;
  }
  return code.padEnd(4, '0');
}
