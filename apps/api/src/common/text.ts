/**
 * Free text shown to other users: no control characters, and none of the invisible format
 * characters that reorder or hide text (bidi overrides and isolates, zero-width space, word
 * joiner, byte-order mark) or break lines (U+2028/2029): they spoof names and break layouts.
 * The zero-width joiner and non-joiner stay: emoji sequences and several scripts need them.
 */
export const NO_CONTROL_CHARS = /^[^\p{Cc}\u200B\u200E\u200F\u2028-\u202E\u2060-\u2069\uFEFF]*$/u;

/** What the OpenAPI spec says of every field checked with NO_CONTROL_CHARS. */
export const ONE_LINE_TEXT =
  'One line of text: control characters (line breaks and tabs included) and invisible formatting characters (bidi overrides and isolates, zero-width space, word joiner, U+2028/2029, byte-order mark) are refused with 400.';
