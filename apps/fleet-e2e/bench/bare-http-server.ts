import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * `node:http`: the floor of any Node server. `express`: the "bare Express hello-world" issue 6 states
 * its read targets against (Express 5, one route per read, nothing else mounted).
 */
export type BareServerKind = 'node:http' | 'express';

/** The headers a Fleet read sends (content type, ETag): both baselines send the same. */
const READ_HEADERS = `{ 'content-type': 'application/json; charset=utf-8', etag: '"3"' }`;

const scripts: Record<BareServerKind, string> = {
  'node:http': `
    const http = require('node:http');
    const server = http.createServer((request, response) => {
      const body = bodies[request.url.startsWith('/page') ? 'page' : 'one'];
      response.writeHead(200, { ...${READ_HEADERS}, 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
  `,
  // res.send with the ETag already set computes none of its own; the body is the same string.
  express: `
    const express = require('express');
    const app = express();
    app.get('/rigs/:id', (request, response) => response.set(${READ_HEADERS}).send(bodies.one));
    app.get('/page', (request, response) => response.set(${READ_HEADERS}).send(bodies.page));
    const server = app.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
    server.keepAliveTimeout = 60000;
  `,
};

/**
 * A baseline server in a process of its own (as the service is), answering `GET /rigs/:id` with
 * `bodies.one` and `GET /page` with `bodies.page`, with the headers a Fleet read sends.
 */
export async function startBareServer(
  kind: BareServerKind,
  bodies: { readonly one: string; readonly page: string },
): Promise<{ url: string; pid: number | undefined; stop(): Promise<void> }> {
  const script = `const bodies = ${JSON.stringify(bodies)};\n${scripts[kind]}`;
  // From the workspace root, so that `require('express')` finds the workspace's node_modules.
  const child: ChildProcess = spawn(process.execPath, ['-e', script], {
    cwd: workspaceRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (!child.stdout) throw new Error(`the ${kind} baseline server has no stdout`);
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
