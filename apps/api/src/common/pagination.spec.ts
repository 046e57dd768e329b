import { DomainError } from '@app/contracts';
import { decodeCursor, encodeCursor, toPage } from './pagination';

describe('pagination', () => {
  const id = '3f1d2c4b-0000-4000-8000-000000000001';

  it('round-trips a cursor', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(decodeCursor(encodeCursor({ at, id }))).toEqual({ at, id });
  });

  it('refuses a cursor it did not issue', () => {
    expect(() => decodeCursor('not-a-cursor')).toThrow(DomainError);
    expect(() => decodeCursor(Buffer.from('["x","y"]').toString('base64url'))).toThrow(DomainError);
    // Valid dates in JavaScript that PostgreSQL cannot hold, or written otherwise than encodeCursor does.
    for (const at of ['-005000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '2026-01-02', 1767225600000]) {
      expect(() => decodeCursor(Buffer.from(JSON.stringify([at, id])).toString('base64url'))).toThrow(DomainError);
    }
  });

  it('gives a next cursor only when a further row exists', () => {
    const rows = [1, 2, 3].map((n) => ({ n, at: new Date(n * 1000), id }));
    const full = toPage(
      rows,
      2,
      (r) => ({ at: r.at, id: r.id }),
      (r) => r.n,
    );
    expect(full.items).toEqual([1, 2]);
    expect(decodeCursor(full.nextCursor ?? undefined)?.at).toEqual(new Date(2000));
    expect(
      toPage(
        rows,
        3,
        (r) => ({ at: r.at, id: r.id }),
        (r) => r.n,
      ).nextCursor,
    ).toBeNull();
  });
});
