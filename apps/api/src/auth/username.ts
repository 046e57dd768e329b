/** API.md: 3–30 of `a-z 0-9 . _`, unique without regard to case. */
export const USERNAME_PATTERN = /^[a-z0-9._]{3,30}$/;

/** Names that would let an account pass for the service or for staff. */
const RESERVED = new Set([
  'admin',
  'administrator',
  'api',
  'ephemera',
  'help',
  'me',
  'mod',
  'moderator',
  'null',
  'official',
  'root',
  'security',
  'staff',
  'support',
  'system',
  'undefined',
]);

/**
 * The canonical form of a username: Unicode compatibility forms folded (NFKC,
 * so a full-width "ＡＬＩＣＥ" is "alice") and lower-cased. Registration stores
 * this form and every lookup uses it, so case and compatibility variants are one name.
 */
export function normalizeUsername(raw: string): string {
  return raw.normalize('NFKC').toLowerCase().normalize('NFKC');
}

export function isValidUsername(normalized: string): boolean {
  return USERNAME_PATTERN.test(normalized);
}

export function isReservedUsername(normalized: string): boolean {
  return RESERVED.has(normalized.replace(/[._]/g, ''));
}
