import type { DeadLetter, ReplayOutcome } from '@fleet/messaging';

const decoder = new TextDecoder();

/** A dead letter for a person: when, who gave up and why, where it came from. */
export function describeDeadLetter(letter: DeadLetter): string[] {
  return [
    `#${letter.sequence}  ${letter.deadLetteredAt}  ${letter.consumer}  ${letter.reason} after ${letter.deliveryCount} deliveries`,
    `    ${letter.originalSubject}  (${letter.originalStream} #${letter.originalSequence}${
      letter.originalMsgId ? `, id ${letter.originalMsgId}` : ''
    })`,
    `    ${letter.error}`,
  ];
}

/** A dead letter for a script: every field, the original headers and the body as text. */
export function deadLetterJson(letter: DeadLetter): string {
  const headers: Record<string, string[]> = {};
  for (const key of letter.originalHeaders.keys()) headers[key] = letter.originalHeaders.values(key);
  const { data: _data, originalHeaders: _originalHeaders, ...fields } = letter;
  return JSON.stringify({ ...fields, headers, body: decoder.decode(letter.data) });
}

export function describeReplay(letter: DeadLetter, outcome: ReplayOutcome): string {
  return outcome.outcome === 'replayed'
    ? `replayed #${letter.sequence} to ${letter.originalSubject} (${outcome.stream} #${outcome.sequence})`
    : `kept #${letter.sequence}: ${outcome.why}`;
}
