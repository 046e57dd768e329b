/**
 * Re-evaluates `probe` until `accept` holds or the deadline passes, then fails
 * with the last value seen. Tests wait on observable state this way, never on sleeps.
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 10000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const seen = lastError instanceof Error ? lastError.message : JSON.stringify(last);
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
}
