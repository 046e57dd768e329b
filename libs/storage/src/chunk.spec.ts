import { chunk } from './chunk';

describe('chunk', () => {
  it('splits 2500 keys into DeleteObjects-sized batches', () => {
    const keys = Array.from({ length: 2500 }, (_, i) => `k${i}`);
    const batches = chunk(keys, 1000);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches.flat()).toEqual(keys);
  });

  it('gives no batch for no items (DeleteObjects refuses an empty list)', () => {
    expect(chunk([], 1000)).toEqual([]);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
    expect(() => chunk([1], 1.5)).toThrow(RangeError);
  });
});
