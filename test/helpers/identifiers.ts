// Resident ID numbers for tests, written from GB 11643 (domain.md §4) rather than taken from the product's
// own code, so a test of the product's checks does not check them against themselves.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The 17 digits with their check character appended. */
export function residentId(body17: string): string {
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(body17[i]), 0);
  return body17 + ('10X98765432'[sum % 11] as string);
}

export function isValidResidentId(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && residentId(id.slice(0, 17)) === id;
}
