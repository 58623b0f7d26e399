/**
 * `data-testid` values for figures named by data (a model, an order, a facility): lower case,
 * anything but letters and digits as `-`, so a browser test can build the same id from the API's answer.
 */
export function testIdPart(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function testId(...parts: readonly string[]): string {
  return parts.map(testIdPart).join('-');
}
