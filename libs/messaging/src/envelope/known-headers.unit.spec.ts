import { PubHeaders } from '@nats-io/jetstream';
import { canonicalMIMEHeaderKey, headers, MsgHdrsImpl } from '@nats-io/transport-node';
import { FleetHeaders } from '@fleet/contracts';
import { appendKnownHeader } from './known-headers';

describe('appendKnownHeader', () => {
  const names = [...Object.values(FleetHeaders), PubHeaders.MsgIdHdr, PubHeaders.ExpectedLastMsgIdHdr];

  it('is given only names already in canonical form (it does not canonicalize them)', () => {
    for (const name of names) expect(canonicalMIMEHeaderKey(name)).toBe(name);
  });

  it("puts the same bytes on the wire as nats.js's append", () => {
    const known = new MsgHdrsImpl();
    const appended = headers();
    for (const name of names) {
      appendKnownHeader(known, name, ` value of ${name} `);
      appended.append(name, ` value of ${name} `);
    }
    appendKnownHeader(known, FleetHeaders.causationId, 'second');
    appended.append(FleetHeaders.causationId, 'second');
    expect(known.toString()).toBe(appended.toString());
    expect(known.values(FleetHeaders.causationId)).toEqual([
      `value of ${FleetHeaders.causationId}`,
      'second',
    ]);
  });

  it('refuses a value that would end the header line', () => {
    expect(() =>
      appendKnownHeader(new MsgHdrsImpl(), FleetHeaders.correlationId, 'a\r\nNats-Msg-Id: forged'),
    ).toThrow(/cannot contain/);
  });
});
