import { isReservedUsername, isValidUsername, normalizeUsername } from './username';

describe('usernames', () => {
  it('folds case and Unicode compatibility forms into one name', () => {
    expect(normalizeUsername('Alice')).toBe('alice');
    expect(normalizeUsername('ＡＬＩＣＥ')).toBe('alice'); // full-width letters
    expect(normalizeUsername('ａｌｉｃｅ_１')).toBe('alice_1');
  });

  it('accepts only 3–30 of a-z 0-9 . _ after normalisation', () => {
    expect(isValidUsername('bob.smith_2')).toBe(true);
    expect(isValidUsername('ab')).toBe(false);
    expect(isValidUsername('a'.repeat(31))).toBe(false);
    expect(isValidUsername('bob smith')).toBe(false);
    expect(isValidUsername("bob'; drop table users;--")).toBe(false);
    expect(isValidUsername(normalizeUsername('ﬁle'))).toBe(true); // the ligature folds to "file"
    expect(isValidUsername(normalizeUsername('café'))).toBe(false);
  });

  it('reserves names that pass for the service or staff, in any spelling', () => {
    expect(isReservedUsername('admin')).toBe(true);
    expect(isReservedUsername('ad.min')).toBe(true);
    expect(isReservedUsername('_support_')).toBe(true);
    expect(isReservedUsername('alice')).toBe(false);
  });
});
