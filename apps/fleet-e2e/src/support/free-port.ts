import net from 'node:net';

/** Ports this test process has handed out: the kernel may offer a released port again at once. */
const handedOut = new Set<number>();

/**
 * A port nothing listens on now and that this process has not handed out before. Without the
 * second condition two services started together can get the same port: the second fails to bind,
 * and its readiness probe is answered by the first (seen as a 404 from the "wrong" service).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await probePort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
