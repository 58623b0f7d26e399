/**
 * Whether `subject` matches the NATS subject `pattern`: `*` stands for one token, a final `>` for
 * one or more. The server matches consumer filters itself; this is for filtering client-side (the
 * original subject a dead letter records, which no stream indexes).
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const wanted = pattern.split('.');
  const tokens = subject.split('.');
  for (let index = 0; index < wanted.length; index++) {
    const token = wanted[index];
    if (token === '>' && index === wanted.length - 1) return tokens.length > index;
    if (index >= tokens.length || (token !== '*' && token !== tokens[index])) return false;
  }
  return tokens.length === wanted.length;
}
