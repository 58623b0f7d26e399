// The Docker image's steps rehearsed without Docker (tools/rehearse-image.mjs): the interpreter's
// rules on small Dockerfiles, then docker/Dockerfile itself for reporting (dashboard assets) and
// procurement, each built, started, probed and stopped.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  dockerignoreFilter,
  parseDockerfile,
  rehearseApp,
  rehearseBuild,
  substitute,
} from './rehearse-image.mjs';

/** A build context holding `files` and a Dockerfile, removed after `use`. */
function withContext(dockerfile, files, use) {
  const context = mkdtempSync(join(tmpdir(), 'fleet-rehearse-context-'));
  const workDir = mkdtempSync(join(tmpdir(), 'fleet-rehearse-work-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(context, path, '..'), { recursive: true });
      writeFileSync(join(context, path), content);
    }
    writeFileSync(join(context, 'Dockerfile'), dockerfile);
    return use({ context, workDir, dockerfile: join(context, 'Dockerfile') });
  } finally {
    rmSync(context, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  }
}

describe('the Dockerfile interpreter', () => {
  it('joins continued lines, drops comments inside them and reads RUN flags', () => {
    const [run] = parseDockerfile('RUN --mount=type=cache,target=/root/.npm npm ci \\\n# why\n --omit=dev\n');
    assert.equal(run.keyword, 'RUN');
    assert.deepEqual(run.flags, { mount: ['type=cache,target=/root/.npm'] });
    assert.equal(run.args, 'npm ci --omit=dev');
  });

  it('substitutes ${NAME}, $NAME and defaults, and leaves unknown names empty', () => {
    assert.equal(substitute('a/${APP}/$PORT/${MISSING:-x}/${NOPE}', { APP: 'r', PORT: '1' }), 'a/r/1/x/');
  });

  it('reads .dockerignore as Docker does, a matched directory leaving out what is below it', () => {
    const ignored = dockerignoreFilter('**/node_modules\ndist\n**/*.log\n!keep.log\n');
    assert.equal(ignored('apps/x/node_modules/a.js'), true);
    assert.equal(ignored('dist/apps/main.js'), true);
    assert.equal(ignored('apps/dist.ts'), false);
    assert.equal(ignored('tmp/a.log'), true);
    assert.equal(ignored('keep.log'), false);
  });

  it('replays COPY between stages, ENV and WORKDIR, and runs RUN with ARG values in the WORKDIR', () => {
    const dockerfile = [
      'ARG BASE',
      'FROM ${BASE} AS one',
      'ARG NAME',
      'WORKDIR /src',
      'COPY app/ ./',
      'RUN test "$(cat greeting.txt)" = hello && echo "$NAME" > name.txt',
      'FROM ${BASE} AS two',
      'WORKDIR /srv',
      'COPY --from=one /src/*.txt ./',
      'ENV DATA_DIR=/data',
      'CMD ["node", "main.js"]',
    ].join('\n');
    withContext(dockerfile, { 'app/greeting.txt': 'hello' }, ({ context, workDir, dockerfile: file }) => {
      const { image } = rehearseBuild({
        dockerfile: file,
        context,
        workDir,
        buildArgs: { BASE: 'x', NAME: 'fleet' },
      });
      assert.equal(image.workdir, '/srv');
      assert.deepEqual(image.env, { DATA_DIR: '/data' });
      assert.deepEqual(image.cmd, ['node', 'main.js']);
      assert.equal(readFileSync(join(image.root, 'srv/name.txt'), 'utf8').trim(), 'fleet');
      assert.equal(readFileSync(join(image.root, 'srv/greeting.txt'), 'utf8'), 'hello');
    });
  });

  it('fails the rehearsal when a RUN of the Dockerfile fails, with its line and output', () => {
    const dockerfile = 'FROM x AS one\nRUN echo "broken step" >&2; exit 3\n';
    withContext(dockerfile, {}, ({ context, workDir, dockerfile: file }) => {
      assert.throws(
        () => rehearseBuild({ dockerfile: file, context, workDir, buildArgs: {} }),
        /line 2: RUN failed \(exit 3\)[\s\S]*broken step/,
      );
    });
  });

  it('fails when a COPY source is missing or left out by .dockerignore', () => {
    const dockerfile = 'FROM x AS one\nWORKDIR /app\nCOPY dist/main.js ./\n';
    withContext(
      dockerfile,
      { 'dist/main.js': '', '.dockerignore': 'dist\n' },
      ({ context, workDir, dockerfile: file }) => {
        assert.throws(
          () => rehearseBuild({ dockerfile: file, context, workDir, buildArgs: {} }),
          /line 3: COPY dist\/main.js: nothing matches/,
        );
      },
    );
  });

  it("skips, and reports, OS package installs and changes to the base image's own files", () => {
    const dockerfile =
      'FROM x AS one\nRUN apt-get install -y g++\nRUN rm -rf /usr/local/bin/npm\nWORKDIR /app\nRUN touch /app/ran\n';
    withContext(dockerfile, {}, ({ context, workDir, dockerfile: file }) => {
      const { steps, image } = rehearseBuild({ dockerfile: file, context, workDir, buildArgs: {} });
      const outcomes = steps.filter((step) => step.instruction.startsWith('RUN')).map((step) => step.outcome);
      assert.deepEqual(outcomes, ['skipped', 'skipped', 'ran']);
      assert.match(
        steps.find((step) => step.instruction.includes('/usr/local')).reason,
        /\/usr\/local\/bin\/npm/,
      );
      assert.ok(existsSync(join(image.root, 'app/ran')));
    });
  });

  it('refuses an instruction it does not know rather than ignoring it', () => {
    withContext('FROM x AS one\nONBUILD RUN true\n', {}, ({ context, workDir, dockerfile: file }) => {
      assert.throws(
        () => rehearseBuild({ dockerfile: file, context, workDir, buildArgs: {} }),
        /does not know ONBUILD/,
      );
    });
  });
});

// Each app: nx build in a copy of the context, `npm ci --omit=dev` for real, start, probe, SIGTERM.
// Minutes, not seconds: better-sqlite3 compiles from source in `npm ci --omit=dev` (see docker/README.md).
const TWENTY_MINUTES = 20 * 60_000;

describe('docker/Dockerfile rehearsed', { concurrency: 1 }, () => {
  it(
    'reporting: builds, installs its runtime dependencies, serves the dashboard and stops on SIGTERM',
    { timeout: TWENTY_MINUTES },
    async () => {
      const result = await rehearseApp('reporting', { log: printStep('reporting') });
      assertRehearsed(result);
      assert.equal(result.dashboard.status, 200);
      assert.match(result.dashboard.contentType, /text\/html/);
      assert.match(result.dashboard.body, /<!doctype html>/i);
      assert.match(result.dashboard.body, /<script[^>]+src="[^"]+\.js"/);
    },
  );

  it(
    'procurement: builds, installs its runtime dependencies, gets ready and stops on SIGTERM',
    { timeout: TWENTY_MINUTES },
    async () => {
      assertRehearsed(await rehearseApp('procurement', { log: printStep('procurement') }));
    },
  );
});

function assertRehearsed(result) {
  const step = (pattern) => result.steps.find((candidate) => pattern.test(candidate.instruction));
  assert.equal(step(/npm ci --omit=dev/).outcome, 'ran', 'the runtime dependencies are installed for real');
  assert.equal(step(/require\('better-sqlite3'\)/).outcome, 'ran', 'the driver check runs');
  assert.equal(step(/NODE_IMAGE" in/).outcome, 'ran', 'the base image and Node version check runs');
  assert.equal(step(/nx run "\$APP:build"/).outcome, 'ran');
  assert.equal(result.ready, 200);
  assert.deepEqual({ code: result.exit.code, signal: result.exit.signal }, { code: 0, signal: null });
  // Nx reads a library's npm imports from all its files, tests included: a test-only package left
  // out of the workspace's devDependencies would be installed in the image.
  const workspace = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const testOnly = Object.keys(result.packageJson.dependencies).filter(
    (name) => !(name in workspace.dependencies) || name in workspace.devDependencies,
  );
  assert.deepEqual(testOnly, [], "the image installs only the workspace's runtime dependencies");
  console.log(`# ${result.app}: ${JSON.stringify(result.timings)}`);
}

function printStep(app) {
  return (step) =>
    console.log(
      `# ${app} [${step.stage}] line ${step.line} ${step.outcome}${step.seconds ? ` ${step.seconds.toFixed(1)}s` : ''}: ${step.instruction}${step.reason ? ` (${step.reason})` : ''}`,
    );
}
