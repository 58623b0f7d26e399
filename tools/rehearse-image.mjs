// Rehearses docker/Dockerfile without Docker: parses the Dockerfile and replays its own steps for one
// APP into temporary directories, then starts the result as the image's CMD would and checks it.
//
//   node tools/rehearse-image.mjs reporting [--keep] [--no-start] [--full-npm-ci]
//
// Each stage is a directory standing for its filesystem root (`/workspace` is `<stage>/workspace`).
// COPY reads the build context (the repository, honouring .dockerignore) or another stage's
// directory; RUN goes through `bash -c` in the stage's (mapped) WORKDIR with its ENV and ARG values.
// What cannot be replayed on this machine is reported, never hidden:
// - RUNs that install OS packages (apt-get) are skipped;
// - RUNs that change the base image's own files (absolute paths outside what the Dockerfile's
//   WORKDIR/COPY/ENV map, e.g. /usr/local) are skipped: on the host they would change the host;
// - a `FROM <image>` stage starts empty and uses this machine's Node for the image's;
// - the whole-workspace `npm ci` is replaced by a link to the repository's installed node_modules
//   unless --full-npm-ci (the app's own `npm ci --omit=dev` always runs for real);
// - USER is recorded, not switched to.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import net from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The port of each service (docker/compose.yaml and the READMEs). */
export const SERVICE_PORTS = {
  procurement: 3001,
  inventory: 3002,
  power: 3003,
  revenue: 3004,
  reporting: 3005,
};

// --- parsing -------------------------------------------------------------------------------------

/**
 * Instructions of a Dockerfile, in order: `{ keyword, flags, args, line }`. Comment lines are dropped
 * (also inside a continued instruction, as Docker does) and `\` continuations are joined.
 */
export function parseDockerfile(text) {
  const instructions = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*#/.test(line) || (pending === '' && line.trim() === '')) return;
    if (pending === '') startLine = index + 1;
    const continued = /\\\s*$/.test(line);
    pending += (pending ? ' ' : '') + (continued ? line.replace(/\\\s*$/, '') : line).trim();
    if (continued) return;
    instructions.push(splitInstruction(pending, startLine));
    pending = '';
  });
  if (pending) instructions.push(splitInstruction(pending, startLine));
  return instructions;
}

function splitInstruction(text, line) {
  const match = /^(\S+)\s*(.*)$/.exec(text);
  const keyword = match[1].toUpperCase();
  let rest = match[2];
  const flags = {};
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S+))?\s*/.exec(rest);
    if (!flag) break;
    (flags[flag[1]] ??= []).push(flag[2] ?? 'true');
    rest = rest.slice(flag[0].length);
  }
  return { keyword, flags, args: rest, line };
}

/** `${NAME}`, `${NAME:-default}` and `$NAME` from `values`; unknown names become empty, as in Docker. */
export function substitute(text, values) {
  return text.replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (_, braced, fallback, bare) => {
    const value = values[braced ?? bare];
    return value === undefined || value === '' ? (fallback ?? '') : value;
  });
}

/** `A=1 B="two words"` (or the legacy `A value`) into pairs. */
export function parseAssignments(text) {
  if (!/^[\w.-]+=/.test(text)) {
    const [name, ...value] = text.split(/\s+/);
    return [[name, value.join(' ')]];
  }
  const pairs = [];
  const pattern = /([\w.-]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (const match of text.matchAll(pattern)) {
    const value = match[2].replace(/^(["'])(.*)\1$/s, '$2');
    pairs.push([match[1], value]);
  }
  return pairs;
}

/** The exec form `["node", "main.js"]` or the shell form (run through `sh -c`). */
export function parseCommand(text) {
  if (text.trim().startsWith('[')) return JSON.parse(text);
  return ['/bin/sh', '-c', text];
}

// --- .dockerignore ----------------------------------------------------------------------------------

/** A predicate telling whether a context-relative path is left out of the build context. */
export function dockerignoreFilter(text) {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = posix.normalize(line.replace(/^!/, '').replace(/^\/+/, ''));
      const source = pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) =>
          part === '**/'
            ? '(?:.*/)?'
            : part === '**'
              ? '.*'
              : part === '*'
                ? '[^/]*'
                : part === '?'
                  ? '[^/]'
                  : escapeRegExp(part),
        )
        .join('');
      // A directory matched leaves out everything below it.
      return { negated, regexp: new RegExp(`^${source}(?:/.*)?$`) };
    });
  return (path) => {
    let excluded = false;
    for (const rule of rules) if (rule.regexp.test(path)) excluded = !rule.negated;
    return excluded;
  };
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// --- replay --------------------------------------------------------------------------------------

/**
 * Replays the Dockerfile's stages for `buildArgs.APP` under `workDir`. Returns the image's
 * description (stages, the final stage's root, ENV, WORKDIR, USER, EXPOSE, CMD) and a log of every
 * step: `{ stage, line, instruction, outcome: 'ran' | 'skipped' | 'substituted', reason?, seconds }`.
 */
export function rehearseBuild({
  dockerfile = join(ROOT, 'docker/Dockerfile'),
  context = ROOT,
  buildArgs,
  workDir,
  fullNpmCi = false,
  log = () => {},
}) {
  const instructions = parseDockerfile(readFileSync(dockerfile, 'utf8'));
  const mappedRoots = rootsTheDockerfileMaps(instructions);
  const ignored = existsSync(join(context, '.dockerignore'))
    ? dockerignoreFilter(readFileSync(join(context, '.dockerignore'), 'utf8'))
    : () => false;
  const globalArgs = {};
  const stages = new Map();
  const steps = [];
  let stage;

  const record = (instruction, outcome, reason, seconds = 0) => {
    const step = {
      stage: stage?.name,
      line: instruction.line,
      instruction: summary(instruction),
      outcome,
      reason,
      seconds,
    };
    steps.push(step);
    log(step);
  };
  const hostPath = (imagePath) => join(stage.root, posix.resolve(stage.workdir, imagePath));
  const values = () => ({ ...stage.args, ...stage.env });

  for (const instruction of instructions) {
    const { keyword, flags, args } = instruction;
    if (!stage && keyword === 'ARG') {
      for (const [name, value] of parseArgs(args)) globalArgs[name] = buildArgs[name] ?? value;
      continue;
    }
    if (keyword === 'FROM') {
      const [image, , name] = substitute(args, globalArgs).split(/\s+/);
      const root = join(workDir, name ?? `stage-${stages.size}`);
      const parent = stages.get(image);
      if (parent) cpSync(parent.root, root, { recursive: true, verbatimSymlinks: true });
      else mkdirSync(root, { recursive: true });
      stage = {
        name: name ?? `stage-${stages.size}`,
        base: image,
        root,
        env: { ...(parent?.env ?? {}) },
        args: {},
        workdir: parent?.workdir ?? '/',
        user: parent?.user,
        exposed: [],
        cmd: parent?.cmd,
      };
      stages.set(stage.name, stage);
      record(
        instruction,
        parent ? 'ran' : 'substituted',
        parent ? undefined : `"${image}" is an empty root and this machine's Node ${process.version}`,
      );
      continue;
    }
    if (!stage) throw new Error(`line ${instruction.line}: ${keyword} before the first FROM`);
    switch (keyword) {
      case 'ARG':
        for (const [name, value] of parseArgs(args))
          stage.args[name] = buildArgs[name] ?? globalArgs[name] ?? substitute(value ?? '', values());
        record(instruction, 'ran');
        break;
      case 'ENV':
        for (const [name, value] of parseAssignments(args)) stage.env[name] = substitute(value, values());
        record(instruction, 'ran');
        break;
      case 'LABEL':
        record(instruction, 'ran', 'metadata only');
        break;
      case 'WORKDIR':
        stage.workdir = posix.resolve(stage.workdir, substitute(args, values()));
        mkdirSync(hostPath('.'), { recursive: true });
        record(instruction, 'ran');
        break;
      case 'COPY': {
        const parts = substitute(args, values()).split(/\s+/);
        const destination = parts.pop();
        const from = flags.from?.[0];
        const source = from ? stages.get(from) : undefined;
        if (from && !source) throw new Error(`line ${instruction.line}: COPY --from=${from}: no such stage`);
        for (const pattern of parts) {
          const matches = source
            ? expandGlob(source.root, pattern.replace(/^\/+/, ''))
            : expandGlob(context, pattern).filter((path) => !ignored(path));
          if (matches.length === 0)
            throw new Error(
              `line ${instruction.line}: COPY ${pattern}: nothing matches in ${from ?? 'the build context'}`,
            );
          for (const match of matches) {
            const sourcePath = join(source ? source.root : context, match);
            const into = hostPath(destination);
            // Docker copies a directory's contents (not the directory itself) into the destination; a
            // file goes inside the destination when it names a directory.
            if (lstatSync(sourcePath).isDirectory()) {
              mkdirSync(into, { recursive: true });
              cpSync(sourcePath, into, {
                recursive: true,
                verbatimSymlinks: true,
                filter: (path) => Boolean(source) || !ignored(relative(context, path).split('\\').join('/')),
              });
            } else {
              const intoDirectory =
                destination.endsWith('/') ||
                matches.length > 1 ||
                (existsSync(into) && lstatSync(into).isDirectory());
              const target = intoDirectory ? join(into, posix.basename(match)) : into;
              mkdirSync(dirname(target), { recursive: true });
              cpSync(sourcePath, target);
            }
          }
        }
        record(
          instruction,
          'ran',
          flags.chown ? `--chown=${flags.chown[0]} not applied (no root here)` : undefined,
        );
        break;
      }
      case 'RUN':
        runStep({ stage, instruction, mappedRoots, fullNpmCi, record, hostPath });
        break;
      case 'USER':
        stage.user = substitute(args, values());
        record(
          instruction,
          'substituted',
          `user ${stage.user} recorded; the rehearsal runs as ${process.getuid?.() ?? 'this user'}`,
        );
        break;
      case 'EXPOSE':
        stage.exposed.push(...substitute(args, values()).split(/\s+/));
        record(instruction, 'ran');
        break;
      case 'CMD':
      case 'ENTRYPOINT':
        stage.cmd = parseCommand(args);
        record(instruction, 'ran');
        break;
      default:
        throw new Error(
          `line ${instruction.line}: the rehearsal does not know ${keyword}; teach tools/rehearse-image.mjs`,
        );
    }
  }
  return { stages, image: stage, steps };
}

function parseArgs(text) {
  return text.split(/\s+/).map((part) => {
    const index = part.indexOf('=');
    return index < 0 ? [part, undefined] : [part.slice(0, index), part.slice(index + 1)];
  });
}

/** Absolute paths the rehearsal maps into a stage directory: WORKDIRs, COPY targets, absolute ENV values. */
function rootsTheDockerfileMaps(instructions) {
  const roots = new Set();
  const top = (path) => `/${path.split('/').filter(Boolean)[0] ?? ''}`;
  for (const { keyword, args } of instructions) {
    if (keyword === 'WORKDIR' && args.startsWith('/')) roots.add(top(args));
    if (keyword === 'COPY') {
      const destination = args.split(/\s+/).pop();
      if (destination.startsWith('/')) roots.add(top(destination));
    }
    if (keyword === 'ENV')
      for (const [, value] of parseAssignments(args)) if (value.startsWith('/')) roots.add(top(value));
  }
  return roots;
}

function runStep({ stage, instruction, mappedRoots, fullNpmCi, record, hostPath }) {
  const command = instruction.args;
  if (/\bapt-get\b/.test(command)) return record(instruction, 'skipped', 'installs OS packages');
  const outside = [...command.matchAll(/(?:^|[\s"'=(])(\/[A-Za-z][\w./-]*)/g)]
    .map((match) => match[1])
    .filter((path) => ![...mappedRoots].some((root) => path === root || path.startsWith(`${root}/`)));
  if (outside.length > 0)
    return record(
      instruction,
      'skipped',
      `changes the base image's own files (${[...new Set(outside)].join(', ')}); on this machine they are the host's`,
    );
  // Paths the rehearsal maps (/app, /workspace, ...) point into the stage's directory, never the host's.
  const mapped = command.replace(
    /(^|[\s"'=(])(\/[A-Za-z][\w./-]*)/g,
    (_, before, path) => `${before}${join(stage.root, path)}`,
  );
  const cwd = hostPath('.');
  const env = {
    PATH: process.env.PATH,
    HOME: homedir(),
    TMPDIR: tmpdir(),
    // The pruned lock files carry no `resolved` URLs, so npm asks the registry for every package's
    // metadata; what the host's cache already holds is used as it is (a warm cache mount).
    npm_config_prefer_offline: 'true',
    ...stage.args,
    ...stage.env,
  };
  // A cache mount keeps its content between builds; the host's own npm cache plays that part.
  const cacheNote = instruction.flags.mount
    ? `cache mount ${instruction.flags.mount.join(' ')}: the host's ~/.npm, prefer-offline`
    : '';
  if (!fullNpmCi && /^npm ci\s*$/.test(command.trim())) {
    const lock = (dir) =>
      createHash('sha256')
        .update(readFileSync(join(dir, 'package-lock.json')))
        .digest('hex');
    if (lock(cwd) !== lock(ROOT))
      throw new Error(`line ${instruction.line}: npm ci of a lock file that is not the repository's`);
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(cwd, 'node_modules'));
    return record(
      instruction,
      'substituted',
      "SUBSTITUTED: `npm ci` of the whole workspace replaced by a link to the repository's installed node_modules (same package-lock.json); --full-npm-ci runs it",
    );
  }
  const started = Date.now();
  // Docker does not substitute a RUN: the shell expands the ARG and ENV values from its environment.
  const result = spawnSync('bash', ['-c', mapped], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (Date.now() - started) / 1000;
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.split('\n').slice(-40).join('\n');
    throw new Error(
      `${stage.name}, line ${instruction.line}: RUN failed (exit ${result.status}): ${summary(instruction)}\n${output}`,
    );
  }
  record(instruction, 'ran', cacheNote || undefined, seconds);
}

function summary({ keyword, flags, args }) {
  const flagText = Object.entries(flags)
    .map(([name, values]) => values.map((value) => `--${name}=${value}`).join(' '))
    .join(' ');
  const text = `${keyword} ${flagText ? `${flagText} ` : ''}${args}`;
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Paths (relative to `root`) matching a COPY source: `*`, `?` in the last component, or a plain path. */
function expandGlob(root, pattern) {
  const normalized = posix.normalize(pattern);
  if (normalized === '.' || !/[*?[]/.test(normalized))
    return existsSync(join(root, normalized)) ? [normalized] : [];
  const directory = posix.dirname(normalized);
  const regexp = new RegExp(
    `^${normalized
      .split('/')
      .pop()
      .split(/(\*|\?)/)
      .map((part) => (part === '*' ? '[^/]*' : part === '?' ? '.' : escapeRegExp(part)))
      .join('')}$`,
  );
  if (!existsSync(join(root, directory))) return [];
  return readdirSync(join(root, directory))
    .filter((name) => regexp.test(name))
    .map((name) => posix.join(directory, name));
}

// --- running the image -----------------------------------------------------------------------------

/**
 * Starts the rehearsed image as `docker run -e ...` would: its CMD in its WORKDIR with its ENV, and
 * `overrides` on top (PORT, NATS, keys). DATA_DIR and other absolute paths of the ENV point into the
 * image's directory. Resolves once `/health/ready` answers 200.
 */
export async function startImage(image, overrides, { readyTimeoutMs = 60_000 } = {}) {
  const env = { PATH: process.env.PATH, ...image.env, ...overrides };
  for (const [name, value] of Object.entries(image.env))
    if (overrides[name] === undefined && value.startsWith('/')) {
      env[name] = join(image.root, value);
      mkdirSync(env[name], { recursive: true });
    }
  const [program, ...rest] = image.cmd;
  const child = spawn(program === 'node' ? process.execPath : program, rest, {
    cwd: join(image.root, image.workdir),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  const running = {
    child,
    env,
    baseUrl: `http://127.0.0.1:${env.PORT}`,
    recentOutput: () => output.join('').split('\n').slice(-40).join('\n'),
    /** SIGTERM, then the exit code; SIGKILL and an error after `timeoutMs`. */
    async stop(timeoutMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      const started = Date.now();
      child.kill('SIGTERM');
      let timer;
      const timeout = new Promise((resolveTimeout) => {
        timer = setTimeout(() => resolveTimeout(undefined), timeoutMs);
      });
      const result = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (!result) {
        child.kill('SIGKILL');
        await exited;
        throw new Error(`did not exit within ${timeoutMs} ms of SIGTERM:\n${running.recentOutput()}`);
      }
      return { ...result, seconds: (Date.now() - started) / 1000 };
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `exited during start-up (${child.exitCode ?? child.signalCode}):\n${running.recentOutput()}`,
      );
    try {
      const response = await fetch(`${running.baseUrl}/health/ready`);
      if (response.status === 200) return running;
    } catch {
      // not listening yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  await running.stop().catch(() => undefined);
  throw new Error(`/health/ready did not answer 200 within ${readyTimeoutMs} ms:\n${running.recentOutput()}`);
}

/** Deletes the streams a namespaced run created (`<NAMESPACE>_...`). */
export async function deleteNamespaceStreams(natsUrl, namespace) {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const connection = await connect({ servers: natsUrl });
  try {
    const manager = await jetstreamManager(connection);
    const prefix = `${namespace.toUpperCase()}_`;
    for await (const stream of manager.streams.list())
      if (stream.config.name.startsWith(prefix)) await manager.streams.delete(stream.config.name);
  } finally {
    await connection.close();
  }
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The whole rehearsal of one app: build, start with a fresh namespace and data directory, check
 * `/health/ready` (and for reporting the dashboard at `/`), stop with SIGTERM. Returns what it saw.
 */
export async function rehearseApp(
  app,
  { start = true, keep = false, fullNpmCi = false, log = () => {} } = {},
) {
  const port = SERVICE_PORTS[app];
  if (!port) throw new Error(`unknown app "${app}" (one of: ${Object.keys(SERVICE_PORTS).join(', ')})`);
  const workDir = mkdtempSync(join(tmpdir(), `fleet-image-${app}-`));
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const namespace = `img_${randomBytes(4).toString('hex')}`;
  const timings = {};
  let running;
  try {
    const buildStarted = Date.now();
    const { image, steps } = rehearseBuild({
      buildArgs: {
        APP: app,
        PORT: String(port),
        // A fake digest: the toolchain's check wants a pinned base image, this machine's Node stands for it.
        NODE_IMAGE: `node:20-bookworm-slim@sha256:${'0'.repeat(64)}`,
      },
      workDir,
      fullNpmCi,
      log,
    });
    timings.buildSeconds = (Date.now() - buildStarted) / 1000;
    // The package.json the image installs from (Nx's generated one), for checks after the work dir is gone.
    const packageJson = JSON.parse(readFileSync(join(image.root, image.workdir, 'package.json'), 'utf8'));
    const result = { app, workDir, image, steps, timings, packageJson };
    if (!start) return result;
    const startStarted = Date.now();
    running = await startImage(image, {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      NATS_URL: natsUrl,
      FLEET_NATS_NAMESPACE: namespace,
      FLEET_API_KEYS: 'admin:rehearsal-admin-key-0123456789,reports:rehearsal-reports-key-0123456789',
      LOG_LEVEL: 'warn',
    });
    timings.readySeconds = (Date.now() - startStarted) / 1000;
    result.ready = (await fetch(`${running.baseUrl}/health/ready`)).status;
    if (app === 'reporting') {
      const response = await fetch(`${running.baseUrl}/`);
      result.dashboard = {
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: await response.text(),
      };
    }
    const stopped = await running.stop();
    running = undefined;
    result.exit = stopped;
    timings.stopSeconds = stopped.seconds;
    return result;
  } finally {
    if (running) await running.stop().catch(() => undefined);
    if (start) await deleteNamespaceStreams(natsUrl, namespace).catch(() => undefined);
    if (!keep) rmSync(workDir, { recursive: true, force: true });
  }
}

// --- command line --------------------------------------------------------------------------------

async function main(argv) {
  const apps = argv.filter((arg) => !arg.startsWith('--'));
  if (apps.length === 0) {
    console.error(
      `usage: node tools/rehearse-image.mjs <app>... [--keep] [--no-start] [--full-npm-ci]\n  apps: ${Object.keys(SERVICE_PORTS).join(', ')}`,
    );
    return 2;
  }
  for (const app of apps) {
    console.log(`# ${app}: docker/Dockerfile replayed without Docker`);
    const result = await rehearseApp(app, {
      start: !argv.includes('--no-start'),
      keep: argv.includes('--keep'),
      fullNpmCi: argv.includes('--full-npm-ci'),
      log: (step) =>
        console.log(
          `  [${step.stage}] line ${step.line} ${step.outcome.toUpperCase()}${step.seconds ? ` ${step.seconds.toFixed(1)}s` : ''}: ${step.instruction}${step.reason ? `\n      ${step.reason}` : ''}`,
        ),
    });
    if (result.ready !== undefined) console.log(`  /health/ready ${result.ready}`);
    if (result.dashboard) console.log(`  GET / ${result.dashboard.status} ${result.dashboard.contentType}`);
    if (result.exit)
      console.log(
        `  SIGTERM: exit ${result.exit.code ?? result.exit.signal} after ${result.exit.seconds.toFixed(1)}s`,
      );
    console.log(
      `  timings ${JSON.stringify(result.timings)}${argv.includes('--keep') ? `; kept in ${result.workDir}` : ''}`,
    );
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
