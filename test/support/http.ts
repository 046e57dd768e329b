/** Response bodies in tests are checked by assertions, not by the compiler. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export async function readJson(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}
