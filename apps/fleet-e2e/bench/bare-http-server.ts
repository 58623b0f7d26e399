import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * The baseline: a bare `node:http` server in a process of its own (as the service is), answering
 * every GET with the given JSON body and the headers a Fleet read sends (content type, ETag).
 */
export async function startBareServer(
  bodies: Record<string, string>,
): Promise<{ url: string; pid: number | undefined; stop(): Promise<void> }> {
  const script = `
    const http = require('node:http');
    const bodies = ${JSON.stringify(bodies)};
    const server = http.createServer((request, response) => {
      const body = bodies[request.url.startsWith('/page') ? 'page' : 'one'];
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', etag: '"3"', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
  `;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (!child.stdout) throw new Error('the baseline server has no stdout');
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return {
    url: `http://127.0.0.1:${chunk.toString().trim()}`,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
