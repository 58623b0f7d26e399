import { MsgHdrsImpl } from '@nats-io/transport-node';

/**
 * Appends a header whose name is written in its canonical form in Fleet's code (`Fleet-Event-Type`,
 * `Nats-Msg-Id`). `MsgHdrs.append` checks and re-canonicalizes the name and searches the names
 * already there on every call, which cost the relay more per event than encoding the envelope;
 * the value is still checked (no CR or LF) and trimmed as nats.js does.
 */
export function appendKnownHeader(headers: MsgHdrsImpl, name: string, value: string): void {
  const checked = MsgHdrsImpl.validHeaderValue(value);
  const values = headers.headers.get(name);
  if (values) values.push(checked);
  else headers.headers.set(name, [checked]);
}
