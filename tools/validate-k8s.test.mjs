// Tests of tools/validate-k8s.mjs: `node --test tools/validate-k8s.test.mjs`. They render with the
// real kubectl (kustomize v5), as the script does; scratch files live under os.tmpdir().
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import {
  INSTALL_HINT,
  ROOT,
  checkCompose,
  checkFleetRules,
  checkNames,
  checkHeadquartersPermissions,
  checkNatsPermissions,
  checkNatsServerConfig,
  headquartersFacilities,
  listServices,
  render,
  validateAll,
  validateSchemas,
} from './validate-k8s.mjs';

const SCRIPT = join(ROOT, 'tools', 'validate-k8s.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'validate-k8s-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let fixtures = 0;
/** Writes `files` (path → text) under a fresh directory and returns it. */
function fixture(files) {
  const root = join(scratch, String(fixtures++));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A copy of the repository's k8s/ and docker/compose.yaml, with an empty webpack config per app. */
function repositoryFixture(apps = listServices()) {
  const root = fixture(Object.fromEntries(apps.map((app) => [`apps/${app}/webpack.config.cjs`, ''])));
  cpSync(join(ROOT, 'k8s'), join(root, 'k8s'), { recursive: true });
  cpSync(join(ROOT, 'docker', 'compose.yaml'), join(root, 'docker', 'compose.yaml'));
  return root;
}

async function validate(root) {
  const lines = [];
  const failures = await validateAll({ root, log: (line) => lines.push(line) });
  return { failures, lines, fails: lines.filter((line) => line.startsWith('FAIL')) };
}

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
        - name: app
          image: fleet/app
          ports: [{name: http, containerPort: 3000}]
`;

describe('the repository', () => {
  it('validates, one line per object, rendered by kubectl kustomize', async () => {
    const { failures, lines, fails } = await validate(ROOT);
    assert.equal(failures, 0, fails.join('\n'));
    assert.ok(lines.includes('ok    k8s/overlays/us-tx-01  apps/v1 Deployment fleet/procurement'));
    assert.ok(lines.includes('ok    k8s/base  policy/v1 PodDisruptionBudget inventory'));
    assert.ok(lines.includes('ok    docker/compose.yaml  service procurement (APP=procurement, PORT=3001)'));
    assert.ok(lines.includes('ok    rendered with kubectl kustomize'));
  });

  it('names the kustomization, the object and the path of a schema error', async () => {
    const root = repositoryFixture();
    const file = join(root, 'k8s', 'base', 'procurement', 'deployment.yaml');
    const deployment = YAML.parse(readFileSync(file, 'utf8'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = '3001';
    writeFileSync(file, YAML.stringify(deployment));
    const { failures, fails } = await validate(root);
    const path = 'spec.template.spec.containers.0.ports.0.containerPort: must be integer';
    assert.deepEqual(fails, [
      `FAIL  k8s/base  apps/v1 Deployment procurement: ${path}`,
      `FAIL  k8s/overlays/us-tx-01  apps/v1 Deployment fleet/procurement: ${path}`,
    ]);
    assert.equal(failures, 2);
  });

  it('reports a kustomization that does not render', async () => {
    const root = repositoryFixture();
    writeFileSync(
      join(root, 'k8s', 'overlays', 'us-tx-01', 'kustomization.yaml'),
      'resources: [missing.yaml]\n',
    );
    const { fails } = await validate(root);
    assert.equal(fails.length, 1);
    assert.match(fails[0], /^FAIL {2}k8s\/overlays\/us-tx-01: kubectl kustomize: .*missing\.yaml/);
  });

  it('wants a Deployment and a compose service for every app, and an app for every Deployment', async () => {
    const apps = listServices().filter((app) => app !== 'procurement');
    const { fails } = await validate(repositoryFixture([...apps, 'billing']));
    assert.ok(fails.includes('FAIL  k8s/base: no Deployment for service billing'));
    assert.ok(fails.includes('FAIL  k8s/overlays/us-tx-01: no Deployment for service billing'));
    assert.ok(fails.includes('FAIL  k8s/base: Deployment procurement is not an app under apps/'));
    assert.ok(
      fails.includes(
        'FAIL  docker/compose.yaml: service billing missing (every app under apps/ runs in compose)',
      ),
    );
  });
});

describe('schema validation', () => {
  it('accepts a valid object', async () => {
    const root = fixture({ 'kustomization.yaml': 'resources: [app.yaml]\n', 'app.yaml': DEPLOYMENT });
    assert.deepEqual(await validateSchemas(render(root)), [[]]);
  });

  it('names a wrong type, a missing required field and an unknown field by path', async () => {
    const broken = DEPLOYMENT.replace('  selector: {matchLabels: {app: app}}\n', '  replicas: two\n')
      .replace('containerPort: 3000', "containerPort: '3000'")
      .replace(
        'image: fleet/app',
        'image: fleet/app\n          readinesProbe: {httpGet: {path: /, port: http}}',
      );
    const root = fixture({ 'kustomization.yaml': 'resources: [app.yaml]\n', 'app.yaml': broken });
    assert.deepEqual(await validateSchemas(render(root)), [
      [
        'spec: must have required property selector',
        'spec.replicas: must be integer',
        'spec.template.spec.containers.0.ports.0.containerPort: must be integer',
        'spec.template.spec.containers.0.readinesProbe: unknown field "readinesProbe"',
      ],
    ]);
  });

  it('checks values as the API server reads the render (a ConfigMap value must be a string)', async () => {
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {ENABLED: yes, N: 3}\n';
    const root = fixture({ 'kustomization.yaml': 'resources: [c.yaml]\n', 'c.yaml': configMap });
    assert.deepEqual(await validateSchemas(render(root)), [['data.N: must be string']]);
  });

  it('refuses a kind it has no schema for', async () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    assert.deepEqual(await validateSchemas([widget]), [
      ['no schema for example.com/v1 Widget in kubernetes-models'],
    ]);
  });
});

describe("the API server's rules for names and labels", () => {
  const deployment = () => YAML.parse(DEPLOYMENT);
  const container = (object) => object.spec.template.spec.containers[0];
  // The one problem each change must cause.
  const cases = {
    'metadata.name: "App" is not a DNS-1123 subdomain': (object) => (object.metadata.name = 'App'),
    'metadata.name: "1app" is not a DNS-1035 label': (object) =>
      Object.assign(object, { kind: 'Service', metadata: { name: '1app' }, spec: {} }),
    'metadata.labels: "bad key!" is not a valid label key': (object) =>
      (object.metadata.labels = { 'bad key!': 'a' }),
    'spec.template.metadata.labels: "Fleet_/x" is not a valid label key': (object) =>
      (object.spec.template.metadata.labels['Fleet_/x'] = 'a'),
    [`spec.selector.matchLabels.app: "${'x'.repeat(64)}" is not a valid label value`]: (object) =>
      (object.spec.selector.matchLabels.app = 'x'.repeat(64)),
    'container "App": name is not a DNS-1123 label': (object) => (container(object).name = 'App'),
    'container app: port name "http-port-too-long" is not valid': (object) =>
      (container(object).ports[0].name = 'http-port-too-long'),
  };
  it('accepts valid names', () => assert.deepEqual(checkNames(deployment()), []));
  for (const [problem, breakIt] of Object.entries(cases)) {
    it(`refuses: ${problem}`, () => {
      const object = deployment();
      breakIt(object);
      assert.deepEqual(checkNames(object), [problem]);
    });
  }
});

describe("Fleet's rules", () => {
  let overlay;
  let base;
  before(() => {
    overlay = render(join(ROOT, 'k8s', 'overlays', 'us-tx-01'));
    base = render(join(ROOT, 'k8s', 'base'));
  });
  const problemsOf = (objects, isOverlay = true) =>
    [...checkFleetRules(objects, { isOverlay })].flatMap(([id, messages]) =>
      messages.map((message) => `${id}: ${message}`.replace(/fleet-config-\w+/, 'fleet-config-HASH')),
    );
  const find = (objects, kind, name = 'procurement') =>
    objects.find((object) => object.kind === kind && object.metadata.name.startsWith(name));
  const pod = (objects) => find(objects, 'Deployment').spec.template.spec;
  const container = (objects) => pod(objects).containers[0];
  const without = (objects, kind) => objects.splice(objects.indexOf(find(objects, kind)), 1);
  const PROCUREMENT = 'apps/v1 Deployment fleet/procurement';
  const CONTAINER = `${PROCUREMENT}: container procurement`;

  // The one problem each change must cause.
  const cases = {
    'v1 Secret fleet/s: never commit a Secret: the facility creates fleet-secrets': (o) =>
      o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'fleet' } }),
    'v1 ConfigMap fleet/fleet-config-HASH: NATS_URL must be a nats:// or tls:// URL': (o) =>
      (find(o, 'ConfigMap', 'fleet-config').data.NATS_URL = 'http://nats:4222'),
    'v1 ConfigMap fleet/fleet-config-HASH: NATS_URL must not carry credentials (each service has its NATS user; passwords live in Secrets)':
      (o) => (find(o, 'ConfigMap', 'fleet-config').data.NATS_URL = 'nats://inventory:pw@nats:4222'),
    'v1 ConfigMap fleet/fleet-config-HASH: NATS_STREAM_REPLICAS must be 1, 3 or 5': (o) =>
      (find(o, 'ConfigMap', 'fleet-config').data.NATS_STREAM_REPLICAS = '2'),
    'v1 Service fleet/procurement: needs a port named http with targetPort http': (o) =>
      (find(o, 'Service').spec.ports[0].targetPort = 3001),
    [`${PROCUREMENT}: spec.selector.matchLabels must select the pod template labels`]: (o) =>
      (find(o, 'Deployment').spec.selector.matchLabels = { app: 'other' }),
    [`${PROCUREMENT}: at least 2 replicas (the PodDisruptionBudget keeps 1 through a drain)`]: (o) =>
      (find(o, 'Deployment').spec.replicas = 1),
    [`${PROCUREMENT}: terminationGracePeriodSeconds of 30 or more`]: (o) =>
      (pod(o).terminationGracePeriodSeconds = 10),
    [`${PROCUREMENT}: pod securityContext.runAsNonRoot: true`]: (o) =>
      delete pod(o).securityContext.runAsNonRoot,
    [`${PROCUREMENT}: serviceAccountName must name a ServiceAccount of this render`]: (o) =>
      (pod(o).serviceAccountName = 'default'),
    [`${PROCUREMENT}: topologySpreadConstraints missing`]: (o) => delete pod(o).topologySpreadConstraints,
    [`${PROCUREMENT}: no Service selects its pods`]: (o) => without(o, 'Service'),
    [`${PROCUREMENT}: no PodDisruptionBudget covers it`]: (o) => without(o, 'PodDisruptionBudget'),
    [`${CONTAINER}: startupProbe missing`]: (o) => delete container(o).startupProbe,
    [`${CONTAINER}: livenessProbe must GET /health/live`]: (o) =>
      (container(o).livenessProbe.httpGet.path = '/'),
    [`${CONTAINER}: readinessProbe must GET /health/ready`]: (o) => delete container(o).readinessProbe,
    [`${CONTAINER}: resources.requests and resources.limits need cpu and memory`]: (o) =>
      delete container(o).resources.limits.memory,
    [`${CONTAINER}: securityContext.readOnlyRootFilesystem: true`]: (o) =>
      (container(o).securityContext.readOnlyRootFilesystem = false),
    [`${CONTAINER}: securityContext.allowPrivilegeEscalation: false`]: (o) =>
      delete container(o).securityContext.allowPrivilegeEscalation,
    [`${CONTAINER}: securityContext.capabilities.drop: [ALL]`]: (o) =>
      (container(o).securityContext.capabilities.drop = ['NET_RAW']),
    [`${CONTAINER}: /tmp must be an emptyDir mount`]: (o) =>
      (pod(o).volumes = [{ name: 'tmp', configMap: { name: 'x' } }]),
    [`${CONTAINER}: needs a container port named http`]: (o) => (container(o).ports[0].name = 'web'),
    [`${CONTAINER}: DATABASE_URL must come from the Secret (valueFrom.secretKeyRef)`]: (o) =>
      (container(o).env.find((variable) => variable.name === 'DATABASE_URL').valueFrom = undefined),
    [`${CONTAINER}: FLEET_API_KEYS must come from the Secret (valueFrom.secretKeyRef)`]: (o) =>
      (container(o).env = container(o).env.filter((variable) => variable.name !== 'FLEET_API_KEYS')),
    [`${CONTAINER}: NATS_PASSWORD must come from the Secret (valueFrom.secretKeyRef)`]: (o) =>
      (container(o).env.find((variable) => variable.name === 'NATS_PASSWORD').valueFrom = undefined),
    [`${CONTAINER}: NATS_USER must be the service’s own NATS user (its container name)`]: (o) =>
      (container(o).env.find((variable) => variable.name === 'NATS_USER').value = 'inventory'),
    [`${CONTAINER}: NATS_INBOX_PREFIX must be _INBOX_<its NATS user> (the only replies it may subscribe to)`]:
      (o) =>
        (container(o).env = container(o).env.filter((variable) => variable.name !== 'NATS_INBOX_PREFIX')),
    [`${CONTAINER}: envFrom names a ConfigMap that is not in this render`]: (o) =>
      (container(o).envFrom[0].configMapRef.name = 'fleet-config'),
    [`${CONTAINER}: image must be pinned to a tag (not latest) or a digest in an overlay`]: (o) =>
      (container(o).image = 'registry:5000/fleet/procurement:latest'),
    'v1 ServiceAccount procurement: no namespace: an overlay sets one': (o) =>
      delete find(o, 'ServiceAccount').metadata.namespace,
  };

  it('hold for the committed base and overlay', () => {
    assert.deepEqual(problemsOf(overlay), []);
    assert.deepEqual(problemsOf(base, false), []);
  });

  it('leave image tags and the namespace to the overlays', () => {
    const objects = structuredClone(base);
    assert.deepEqual(problemsOf(objects, false), []); // base images are untagged, objects have no namespace
    assert.ok(problemsOf(objects, true).some((problem) => /must be pinned/.test(problem)));
  });

  it('want an image pinned to a tag or a digest (registry ports are no tags)', () => {
    const objects = structuredClone(overlay);
    container(objects).image = 'registry:5000/fleet/procurement';
    assert.equal(problemsOf(objects).length, 1);
    container(objects).image = `registry:5000/fleet/procurement@sha256:${'0'.repeat(64)}`;
    assert.deepEqual(problemsOf(objects), []);
  });

  for (const [problem, breakIt] of Object.entries(cases)) {
    it(`fail: ${problem.replace(`${PROCUREMENT}: `, '')}`, () => {
      const objects = structuredClone(overlay);
      breakIt(objects);
      assert.deepEqual(problemsOf(objects), [problem]);
    });
  }
});

describe('docker/compose.yaml', () => {
  const VALID = {
    services: {
      nats: {
        image: 'nats',
        command: ['-js'],
        volumes: ['data:/data'],
        healthcheck: { test: ['CMD', 'true'] },
      },
      postgres: { image: 'postgres', healthcheck: { test: ['CMD', 'true'] } },
      app: {
        build: { context: '..', dockerfile: 'docker/Dockerfile', args: { APP: 'app', PORT: '3001' } },
        environment: { PORT: '3001', NATS_URL: 'n', DATABASE_URL: 'd', FLEET_API_KEYS: 'k' },
        depends_on: { nats: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } },
        healthcheck: { test: ['CMD', 'true'] },
      },
    },
    volumes: { data: {} },
  };
  const check = (compose, services = ['app']) => {
    const file = join(
      fixture({ 'compose.yaml': typeof compose === 'string' ? compose : YAML.stringify(compose) }),
      'compose.yaml',
    );
    return checkCompose(file, services);
  };
  // The problem each change must cause.
  const cases = {
    'service postgres missing': (compose) => delete compose.services.postgres,
    'service nats: JetStream is not enabled (-js)': (compose) => (compose.services.nats.command = []),
    'service nats: depends on unknown service postgress': (compose) =>
      (compose.services.nats.depends_on = ['postgress']),
    'service postgres: no healthcheck': (compose) => delete compose.services.postgres.healthcheck,
    'service app: waits for postgres to be healthy, which has no healthcheck': (compose) =>
      delete compose.services.postgres.healthcheck,
    'service nats: volume data is not declared under volumes': (compose) => delete compose.volumes,
    'service app: environment must be a mapping': (compose) =>
      (compose.services.app.environment = ['PORT=3001']),
    'service app: build docker/Dockerfile with args.APP app': (compose) =>
      (compose.services.app.build.dockerfile = 'Dockerfile'),
    'service app: build args.PORT and environment PORT differ': (compose) =>
      (compose.services.app.build.args.PORT = '3000'),
    'service app: environment DATABASE_URL missing': (compose) =>
      delete compose.services.app.environment.DATABASE_URL,
    'service app: depends_on nats with condition service_healthy': (compose) =>
      (compose.services.app.depends_on.nats = { condition: 'service_started' }),
  };

  it("runs the repository's services, built from the one Dockerfile", () => {
    const { problems, lines } = checkCompose(join(ROOT, 'docker', 'compose.yaml'), [
      'inventory',
      'procurement',
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(lines, [
      'service inventory (APP=inventory, PORT=3002)',
      'service procurement (APP=procurement, PORT=3001)',
    ]);
  });

  it('accepts the valid fixture', () =>
    assert.deepEqual(check(VALID), { problems: [], lines: ['service app (APP=app, PORT=3001)'] }));

  it('names an app that has no service', () => {
    assert.deepEqual(check(VALID, ['app', 'power']).problems, [
      'service power missing (every app under apps/ runs in compose)',
    ]);
  });

  it('reports a YAML error', () => assert.equal(check('services: [\n').problems.length, 1));

  for (const [problem, breakIt] of Object.entries(cases)) {
    it(`fails: ${problem}`, () => {
      const compose = structuredClone(VALID);
      breakIt(compose);
      const { problems } = check(compose);
      assert.ok(problems.includes(problem), problems.join('\n'));
    });
  }
});

describe('the renderer', () => {
  const kubectl = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
  /** Runs the script with PATH holding only the given executables (name → shell script). */
  function runWithPath(executables) {
    const bin = fixture(
      Object.fromEntries(Object.entries(executables).map(([name, body]) => [name, `#!/bin/sh\n${body}\n`])),
    );
    for (const name of Object.keys(executables)) chmodSync(join(bin, name), 0o755);
    return spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { ...process.env, PATH: bin } });
  }

  it('says to install kubectl or kustomize when neither is on the PATH', () => {
    const result = runWithPath({});
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), INSTALL_HINT);
    assert.match(result.stderr, /install kubectl .* or kustomize/);
    assert.equal(result.stdout, '');
  });

  it('refuses a kubectl whose kustomize is older than v5', () => {
    const result = runWithPath({
      kubectl: 'echo "Client Version: v1.20.0"; echo "Kustomize Version: v2.0.3"',
    });
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), INSTALL_HINT);
  });

  it('falls back to a standalone kustomize v5', () => {
    const kustomize = `if [ "$1" = version ]; then echo v5.5.0; else exec "${kubectl}" kustomize "$2"; fi`;
    const result = runWithPath({ kustomize });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^ok {4}rendered with kustomize build$/m);
    assert.match(result.stdout, /k8s:validate: all valid/);
  });
});

describe('NATS permissions against the apps’ consumers', () => {
  const consumerLines = (stream, durable) => [
    `"$JS.API.STREAM.INFO.${stream}",`,
    `"$JS.API.CONSUMER.INFO.${stream}.${durable}", "$JS.API.CONSUMER.CREATE.${stream}.${durable}.>",`,
    `"$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}", "$JS.ACK.${stream}.${durable}.>",`,
    `"fleet.dead-letter.${durable}",`,
  ];
  const repository = (allowed) =>
    fixture({
      'apps/billing/webpack.config.cjs': '',
      'apps/billing/src/settle.consumer.ts': '@OnEvent(InvoiceRaised)\nhandle() {}\n',
      'libs/contracts/src/invoices.ts':
        "export const InvoiceRaised = defineEvent('invoicing', 'InvoiceRaised', 1, z.object({}));\n",
      'k8s/nats/fleet-authorization.conf': [
        'authorization {',
        '  BILLING_PERMISSIONS = {',
        `    publish = { allow = [ "fleet.billing.>", ${allowed.join(' ')} ] }`,
        '    subscribe = { allow = ["_INBOX_billing.>"] }',
        '  }',
        '}',
      ].join('\n'),
    });

  it('passes when every subject of every consumer is allowed', () => {
    assert.deepEqual(
      checkNatsPermissions(repository(consumerLines('INVOICING', 'billing-InvoiceRaised'))),
      [],
    );
  });

  it('names the consumer and each subject its NATS user may not take', () => {
    const [, ...withoutStreamInfo] = consumerLines('INVOICING', 'billing-InvoiceRaised');
    assert.deepEqual(checkNatsPermissions(repository(withoutStreamInfo)), [
      'billing consumes InvoiceRaised: $JS.API.STREAM.INFO.INVOICING is not allowed to its NATS user',
    ]);
  });

  it('checks a consumer of a whole context (@OnContextEvents) as the durable <service>-<context>', () => {
    const root = repository(consumerLines('INVOICING', 'billing-InvoiceRaised'));
    writeFileSync(
      join(root, 'apps/billing/src/ledger.consumer.ts'),
      "@OnContextEvents('invoicing')\nfold() {}\n",
    );
    assert.deepEqual(checkNatsPermissions(root), [
      'billing consumes every invoicing event: $JS.API.CONSUMER.INFO.INVOICING.billing-invoicing is not allowed to its NATS user',
      'billing consumes every invoicing event: $JS.API.CONSUMER.CREATE.INVOICING.billing-invoicing.> is not allowed to its NATS user',
      'billing consumes every invoicing event: $JS.API.CONSUMER.MSG.NEXT.INVOICING.billing-invoicing is not allowed to its NATS user',
      'billing consumes every invoicing event: $JS.ACK.INVOICING.billing-invoicing.> is not allowed to its NATS user',
      'billing consumes every invoicing event: fleet.dead-letter.billing-invoicing is not allowed to its NATS user',
    ]);
  });

  it('names a service without a permissions block', () => {
    const root = repository([]);
    writeFileSync(join(root, 'k8s/nats/fleet-authorization.conf'), 'authorization {}\n');
    assert.deepEqual(checkNatsPermissions(root), ['no BILLING_PERMISSIONS block for service billing']);
  });
});

describe('headquarters (reporting over every facility)', () => {
  const config = (data) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'fleet-config-x1' },
    data,
  });
  const repository = (allowed) =>
    fixture({
      'apps/reporting/webpack.config.cjs': '',
      'apps/reporting/src/ledger.consumer.ts': "@OnContextEvents('invoicing')\nfold() {}\n",
      'libs/contracts/src/invoices.ts':
        "export const InvoiceRaised = defineEvent('invoicing', 'InvoiceRaised', 1, z.object({}));\n",
      'k8s/nats-hq/hq-authorization.conf': [
        'authorization {',
        '  REPORTING_PERMISSIONS = {',
        `    publish = { allow = [ ${allowed.map((subject) => `"${subject}",`).join(' ')} ] }`,
        '    subscribe = { allow = ["_INBOX_reporting.>"] }',
        '  }',
        '}',
      ].join('\n'),
    });
  const linesOf = (facility) => {
    const stream = `HQ_INVOICING_${facility}`;
    const durable = `reporting-invoicing-${facility}`;
    return [
      ...['INFO', 'CREATE', 'UPDATE'].map((call) => `$JS.API.STREAM.${call}.${stream}`),
      `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
      `$JS.API.CONSUMER.CREATE.${stream}.${durable}.>`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
      `$JS.ACK.${stream}.${durable}.>`,
      `fleet.dead-letter.${durable}`,
    ];
  };

  it('tells a headquarters render by REPORTING_MODE=hq, with its facilities', () => {
    assert.deepEqual(headquartersFacilities([config({ REPORTING_MODE: 'hq', HQ_FACILITIES: 'a, b=b-js' })]), [
      'a',
      'b',
    ]);
    assert.equal(headquartersFacilities([config({ NATS_URL: 'nats://nats:4222' })]), undefined);
  });

  it('wants every facility’s streams and consumers allowed to reporting’s NATS user', () => {
    assert.deepEqual(checkHeadquartersPermissions(['a'], repository(linesOf('a'))), []);
    assert.deepEqual(checkHeadquartersPermissions(['a', 'b'], repository(linesOf('a').slice(1))), [
      'reporting at headquarters, invoicing of a: $JS.API.STREAM.INFO.HQ_INVOICING_a is not allowed to its NATS user',
      ...linesOf('b').map(
        (subject) => `reporting at headquarters, invoicing of b: ${subject} is not allowed to its NATS user`,
      ),
    ]);
  });

  it('runs the shipped NATS configurations through nats-server -t', (context) => {
    const problems = checkNatsServerConfig('k8s/nats-hq/fleet-hq.conf');
    if (problems === undefined) return context.skip('nats-server or openssl is not installed');
    assert.deepEqual(problems, []);
    const broken = fixture({ 'k8s/nats-hq/fleet-hq.conf': 'leafnodes { port: $FLEET_PORT_MISSING_BRACE\n' });
    assert.equal(checkNatsServerConfig('k8s/nats-hq/fleet-hq.conf', broken)?.length, 1);
  });
});
