// The one rule all three dialects follow for 64-bit integers.

/** A 64-bit integer as a `number` when that is exact, else as a `bigint`. */
export function exactInteger(value: bigint | string): number | bigint {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : BigInt(value);
}
