import { ackSequencesOf } from './stream-range-reader';

describe('ackSequencesOf', () => {
  it('reads the stream and delivery sequences of the ack subject nats-server 2.9 sends', () => {
    expect(ackSequencesOf('$JS.ACK.T_X_INVENTORY.oc_abc_1.1.4021.17.1795990338326977750.3')).toEqual({
      stream: 4021,
      delivery: 17,
    });
  });

  it('reads them past a domain and account hash (newer servers), with or without the trailing token', () => {
    expect(ackSequencesOf('$JS.ACK.hub.ACCHASH.INVENTORY.oc_abc_1.1.4021.17.1795990338326977750.3')).toEqual({
      stream: 4021,
      delivery: 17,
    });
    expect(
      ackSequencesOf('$JS.ACK._.ACCHASH.INVENTORY.oc_abc_1.1.4021.17.1795990338326977750.3.rand0m'),
    ).toEqual({ stream: 4021, delivery: 17 });
  });

  it('answers undefined for what is not a JetStream message', () => {
    expect(ackSequencesOf('')).toBeUndefined();
    expect(ackSequencesOf('$JS.FC.INVENTORY.abc.1')).toBeUndefined();
    expect(ackSequencesOf('$JS.ACK.INVENTORY.oc_abc_1.1.x.17.1.0')).toBeUndefined();
    expect(ackSequencesOf('$JS.ACK.too.short')).toBeUndefined();
  });
});
