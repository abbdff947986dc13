// Fuzz and property-test sizes: the CI defaults, multiplied by FUZZ_SCALE for `npm run fuzz`.
const scale = Math.max(1, Math.floor(Number(process.env.FUZZ_SCALE ?? '1')) || 1);

export function fuzzRuns(ciDefault: number): number {
  return ciDefault * scale;
}
