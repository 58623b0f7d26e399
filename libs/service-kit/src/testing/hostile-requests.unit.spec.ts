import { createHash } from 'node:crypto';
import { hostileRequests, type HostileRequest } from './hostile-requests';
import { acceptedRequest, type WriteRoute } from './write-route';

const route: WriteRoute = {
  method: 'POST',
  path: '/orders/{id:orderId}/cancel',
  body: { reason: 'late', lines: [{ model: 'm-1', quantity: 2 }] },
  freeText: ['reason'],
};
const csvRoute: WriteRoute = {
  method: 'POST',
  path: '/rigs/install',
  csv: 'serialNumber,rack,slot\nS-1,R,1\n',
};
const bodiless: WriteRoute = { method: 'POST', path: '/rigs/{id:rigId}/return' };

describe('hostileRequests', () => {
  // Compared by digest: some bodies are megabytes.
  const fingerprints = (requests: readonly HostileRequest[]) =>
    requests.map(({ payload, ...rest }) =>
      createHash('sha256')
        .update(JSON.stringify(rest))
        .update(payload ?? '')
        .digest('hex'),
    );

  it('makes the same requests from the same seed, and others from another', () => {
    const first = fingerprints(hostileRequests(route, 200, 7));
    expect(fingerprints(hostileRequests(route, 200, 7))).toEqual(first);
    expect(fingerprints(hostileRequests(route, 200, 8))).not.toEqual(first);
  });

  it.each([
    ['a JSON body', route],
    ['a CSV body', csvRoute],
    ['no body', bodiless],
  ])('changes the accepted request in every one it makes, for a route with %s', (_case, subject) => {
    const accepted = acceptedRequest(subject);
    const requests = hostileRequests(subject, 300, 1);
    expect(requests).toHaveLength(300);
    for (const request of requests) {
      const { mutation, ...sent } = request;
      expect({ mutation, unchanged: JSON.stringify(sent) === JSON.stringify(accepted) }).toEqual({
        mutation,
        unchanged: false,
      });
    }
  });

  it('puts control characters only where a pattern rules', () => {
    const controlled = hostileRequests(route, 2000, 3).filter(({ mutation }) =>
      mutation.startsWith('a control character'),
    );
    expect(controlled.length).toBeGreaterThan(0);
    expect(controlled.every(({ mutation }) => mutation.includes(': lines.0.model holds'))).toBe(true);
  });
});
