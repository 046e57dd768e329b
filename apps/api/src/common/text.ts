/** Free text shown to other users: no control characters (they spoof and break layouts). */
export const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u;
