import { DEFAULT_RESTART_MARGIN_MS } from '../outbox/outbox-relay';
import { DEFAULT_DUPLICATE_WINDOW_MS } from './context-stream';

describe('the default duplicate window', () => {
  it('covers a relay rewind of two restart margins, with slack', () => {
    expect(DEFAULT_DUPLICATE_WINDOW_MS).toBeGreaterThanOrEqual(2 * DEFAULT_RESTART_MARGIN_MS + 30_000);
  });
});
