/** Deterministic, unique serial numbers for a run: `<prefix>-000001`… */
export function serials(prefix: string, count: number, offset = 0): string[] {
  return Array.from(
    { length: count },
    (_, index) => `${prefix}-${String(offset + index + 1).padStart(6, '0')}`,
  );
}
