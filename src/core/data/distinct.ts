/**
 * Counting distinct values of numeric and date columns. A JavaScript Set of numbers costs about 0.2 µs per
 * value (seconds for a 100 MB CSV); a hash table on the values' bit patterns in typed arrays is ten times faster.
 */

/** The bit pattern of float32 NaN: never a key (missing values are skipped), so it marks empty slots. */
const EMPTY32 = 0x7fc00000;
/** The high word of float64 NaN, marking empty slots the same way. */
const EMPTY64_HIGH = 0x7ff80000;

/** A power-of-two table size at least twice `count`, and the shift that maps a 32-bit hash into it. */
function tableSize(count: number): { size: number; shift: number } {
  let bits = 4;
  while (1 << bits < count * 2) bits++;
  return { size: 1 << bits, shift: 32 - bits };
}

/**
 * Distinct float32 values (NaN = missing, -0 = 0), counted in an open-addressing hash table on their bit
 * patterns.
 */
function distinctFloat32(values: Float32Array): number {
  const rows = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, rows);
  const { size, shift } = tableSize(rows);
  const table = new Uint32Array(size).fill(EMPTY32);
  let distinct = 0;
  for (let row = 0; row < rows; row++) {
    if (Number.isNaN(values[row])) continue;
    const key = bits[row] === 0x80000000 ? 0 : bits[row];
    let slot = Math.imul(key, 0x9e3779b1) >>> shift;
    for (;;) {
      const held = table[slot];
      if (held === key) break;
      if (held === EMPTY32) {
        table[slot] = key;
        distinct++;
        break;
      }
      slot = (slot + 1) & (size - 1);
    }
  }
  return distinct;
}

/** The same for a date column's float64 epoch milliseconds, keyed on both 32-bit words. */
function distinctFloat64(values: Float64Array): number {
  const rows = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, rows * 2);
  const { size, shift } = tableSize(rows);
  const low = new Uint32Array(size);
  const high = new Uint32Array(size).fill(EMPTY64_HIGH);
  let distinct = 0;
  for (let row = 0; row < rows; row++) {
    if (Number.isNaN(values[row])) continue;
    const lowKey = words[row * 2];
    let highKey = words[row * 2 + 1];
    if (highKey === 0x80000000 && lowKey === 0) highKey = 0; // -0
    let slot = Math.imul(lowKey ^ Math.imul(highKey, 0x85ebca6b), 0x9e3779b1) >>> shift;
    for (;;) {
      if (high[slot] === highKey && low[slot] === lowKey) break;
      if (high[slot] === EMPTY64_HIGH && low[slot] === 0) {
        high[slot] = highKey;
        low[slot] = lowKey;
        distinct++;
        break;
      }
      slot = (slot + 1) & (size - 1);
    }
  }
  return distinct;
}

/** How many distinct values a numeric (float32) or date (float64) column holds; NaN (missing) is not one. */
export function countDistinct(values: Float32Array | Float64Array): number {
  return values instanceof Float32Array ? distinctFloat32(values) : distinctFloat64(values);
}
