// Tests of tools/validate-k8s.mjs: `node --test tools/validate-k8s.test.mjs`.
// The expected renders below were produced by `kubectl kustomize` (kustomize v5.5.0) from the same
// fixtures, so they pin this script's kustomize subset to the real thing on machines without kubectl.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  ManifestError,
  ROOT,
  checkCompose,
  checkFleetRules,
  checkNames,
  compareRenders,
  configMapHash,
  parseImage,
  parseYamlDocuments,
  renderKustomization,
  validateAll,
  validateSchemas,
} from './validate-k8s.mjs';

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

const BASE = {
  'base/kustomization.yaml': `
resources: [app.yaml]
labels:
  - pairs: {app.kubernetes.io/part-of: fleet}
    includeTemplates: true
configMapGenerator:
  - name: settings
    literals: [LOG_LEVEL=info, NATS_URL=nats://nats:4222]
`,
  'base/app.yaml': `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 1
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
        - name: app
          image: fleet/app
          envFrom: [{configMapRef: {name: settings}}]
          env:
            - {name: A, value: '1'}
            - {name: B, value: '2'}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: '1', memory: 256Mi}
        - name: sidecar
          image: other/sidecar:1.0
      volumes:
        - name: settings
          configMap: {name: settings}
---
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  selector: {app: app}
  ports: [{name: http, port: 80, targetPort: http}]
`,
};

const OVERLAY = {
  'overlay/kustomization.yaml': `
namespace: site
resources: [namespace.yaml, ../base]
labels:
  - pairs: {fleet/facility: site-1}
images:
  - {name: fleet/app, newName: registry.local/fleet/app, newTag: 1.2.3}
  - {name: other/sidecar, digest: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'}
replicas:
  - {name: app, count: 3}
configMapGenerator:
  - name: settings
    behavior: merge
    literals: [NATS_URL=nats://nats.site:4222, EXTRA=yes]
patches:
  - path: patch.yaml
  - patch: |
      apiVersion: v1
      kind: Service
      metadata:
        name: app
      spec:
        type: ClusterIP
`,
  'overlay/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: site\n',
  'overlay/patch.yaml': `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - {name: B, value: 'two'}
            - {name: C, value: '3'}
          resources:
            limits: {memory: 512Mi}
        - name: new
          image: fleet/app
`,
};

const FACILITY = { 'app.kubernetes.io/part-of': 'fleet', 'fleet/facility': 'site-1' };
// `kubectl kustomize overlay` of the fixtures above.
const KUBECTL_RENDER = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: { 'fleet/facility': 'site-1' }, name: 'site' } },
  {
    apiVersion: 'v1',
    data: { EXTRA: 'yes', LOG_LEVEL: 'info', NATS_URL: 'nats://nats.site:4222' },
    kind: 'ConfigMap',
    metadata: { labels: FACILITY, name: 'settings-tt2mbkc2th', namespace: 'site' },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { labels: FACILITY, name: 'app', namespace: 'site' },
    spec: {
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      selector: { app: 'app' },
      type: 'ClusterIP',
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels: FACILITY, name: 'app', namespace: 'site' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'app' } },
      template: {
        metadata: { labels: { app: 'app', 'app.kubernetes.io/part-of': 'fleet' } },
        spec: {
          containers: [
            {
              env: [
                { name: 'B', value: 'two' },
                { name: 'C', value: '3' },
                { name: 'A', value: '1' },
              ],
              envFrom: [{ configMapRef: { name: 'settings-tt2mbkc2th' } }],
              image: 'registry.local/fleet/app:1.2.3',
              name: 'app',
              resources: {
                limits: { cpu: '1', memory: '512Mi' },
                requests: { cpu: '100m', memory: '128Mi' },
              },
            },
            { image: 'registry.local/fleet/app:1.2.3', name: 'new' },
            {
              image: 'other/sidecar@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
              name: 'sidecar',
            },
          ],
          volumes: [{ configMap: { name: 'settings-tt2mbkc2th' }, name: 'settings' }],
        },
      },
    },
  },
];

describe('the kustomize subset', () => {
  it('renders an overlay exactly as kubectl kustomize does', () => {
    const root = fixture({ ...BASE, ...OVERLAY });
    assert.deepEqual(compareRenders(renderKustomization(join(root, 'overlay')), KUBECTL_RENDER), []);
  });

  it('suffixes generated ConfigMaps with kustomize hashes', () => {
    // Vectors from kustomize's own hasher tests and from kubectl kustomize.
    assert.equal(configMapHash({ metadata: { name: 'x' } }), '6ct58987ht');
    assert.equal(configMapHash({ metadata: { name: 'x' }, data: { one: '' } }), '9g67k2htb6');
    assert.equal(configMapHash({ metadata: { name: 'zz' }, data: { A: '1', B: 'two' } }), '6b56fdfggc');
    const escaped = { URL: 'postgres://a<b>&c', Q: 'quoted value', S: 'single', EQ: 'a=b' };
    assert.equal(configMapHash({ metadata: { name: 'esc' }, data: escaped }), 'm445hm5bc8');
  });

  it('strips one pair of quotes from literals, as kustomize does', () => {
    const root = fixture({
      'kustomization.yaml': `configMapGenerator:\n  - name: esc\n    literals: ['URL=postgres://a<b>&c', 'Q="quoted value"', "S='single'", EQ=a=b]\n`,
    });
    const [configMap] = renderKustomization(root);
    assert.equal(configMap.metadata.name, 'esc-m445hm5bc8');
    assert.deepEqual(configMap.data, { URL: 'postgres://a<b>&c', Q: 'quoted value', S: 'single', EQ: 'a=b' });
  });

  it('refuses what it does not implement, naming the field', () => {
    const root = fixture({ ...BASE, 'kustomization.yaml': 'resources: [base]\nnamePrefix: x-\n' });
    assert.throws(
      () => renderKustomization(root),
      (error) => {
        assert.ok(error instanceof ManifestError);
        assert.match(error.message, /field "namePrefix" is outside the kustomize subset/);
        return true;
      },
    );
    const selectors = fixture({
      ...BASE,
      'kustomization.yaml': 'resources: [base]\nlabels:\n  - pairs: {a: b}\n    includeSelectors: true\n',
    });
    assert.throws(() => renderKustomization(selectors), /includeSelectors: true are not supported/);
    const json6902 = fixture({
      ...BASE,
      'kustomization.yaml': 'resources: [base]\npatches:\n  - path: p.yaml\n',
      'p.yaml': '- op: remove\n  path: /spec\n',
    });
    assert.throws(() => renderKustomization(json6902), /only strategic-merge patches/);
  });

  it('fails on a patch whose target does not exist', () => {
    const root = fixture({
      ...BASE,
      'kustomization.yaml': 'resources: [base]\npatches:\n  - path: p.yaml\n',
      'p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nope\nspec:\n  replicas: 2\n',
    });
    assert.throws(() => renderKustomization(root), /patch target apps\/v1 Deployment nope not found/);
  });

  it('parses image references with registry ports, tags and digests', () => {
    assert.deepEqual(parseImage('registry:5000/team/app:1.2@sha256:abc'), {
      name: 'registry:5000/team/app',
      tag: '1.2',
      digest: 'sha256:abc',
    });
    assert.deepEqual(parseImage('registry:5000/team/app'), {
      name: 'registry:5000/team/app',
      tag: undefined,
      digest: undefined,
    });
  });
});

describe('schema validation', () => {
  const deployment = () => clone(KUBECTL_RENDER[3]);
  const clone = (value) => structuredClone(value);

  it('accepts a valid object', async () => {
    assert.deepEqual(await validateSchemas([deployment()]), [[]]);
  });

  it('names a misspelt field', async () => {
    const object = deployment();
    object.spec.template.spec.containers[0].readinesProbe = {
      httpGet: { path: '/health/ready', port: 'http' },
    };
    const [problems] = await validateSchemas([object]);
    assert.deepEqual(problems, [
      'spec.template.spec.containers.0.readinesProbe: unknown field "readinesProbe"',
    ]);
  });

  it('names a value of the wrong type', async () => {
    const object = deployment();
    object.spec.template.spec.containers[0].ports = [{ name: 'http', containerPort: '3001' }];
    const [problems] = await validateSchemas([object]);
    assert.deepEqual(problems, ['spec.template.spec.containers.0.ports.0.containerPort: must be integer']);
  });

  it('reads YAML as kubectl does: an unquoted yes is a boolean', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  ENABLED: yes\n';
    const [problems] = await validateSchemas(parseYamlDocuments(text, 'test'));
    assert.deepEqual(problems, ['data.ENABLED: must be string']);
  });

  it("applies the API server's rules for names and labels", () => {
    const object = deployment();
    object.metadata.name = 'App';
    object.metadata.labels['fleet/facility'] = 'x'.repeat(64);
    object.spec.template.metadata.labels['bad key!'] = 'a';
    object.spec.template.spec.containers[0].ports = [{ name: 'http-port-too-long', containerPort: 80 }];
    assert.deepEqual(checkNames(object), [
      'metadata.name: "App" is not a DNS-1123 subdomain',
      `metadata.labels.fleet/facility: "${'x'.repeat(64)}" is not a valid label value`,
      'spec.template.metadata.labels: "bad key!" is not a valid label key',
      'container app: port name "http-port-too-long" is not valid',
    ]);
    assert.deepEqual(checkNames(deployment()), []);
  });

  it('refuses a kind it has no schema for', async () => {
    const [problems] = await validateSchemas([
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
    ]);
    assert.match(problems[0], /no schema registered for example.com\/v1\/Widget/);
  });
});

describe('Fleet rules', () => {
  const render = () => renderKustomization(join(ROOT, 'k8s', 'overlays', 'us-tx-01'));
  const deploymentOf = (objects) => objects.find((object) => object.kind === 'Deployment');
  const problemsOf = (objects, isOverlay = true) =>
    [...checkFleetRules(objects, { isOverlay }).values()].flat();

  it('holds for the committed overlay', () => {
    assert.deepEqual(problemsOf(render()), []);
  });

  it('refuses a secret value written into a manifest', () => {
    const objects = render();
    const env = deploymentOf(objects).spec.template.spec.containers[0].env;
    env.find((variable) => variable.name === 'DATABASE_URL').valueFrom = undefined;
    env.find((variable) => variable.name === 'DATABASE_URL').value = 'postgres://user:password@db/fleet';
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'fleet-secrets', namespace: 'fleet' },
    });
    const problems = problemsOf(objects);
    assert.ok(problems.some((problem) => /DATABASE_URL must come from a Secret/.test(problem)));
    assert.ok(problems.some((problem) => /a Secret is rendered/.test(problem)));
  });

  it('requires probes, a budget and a pinned image', () => {
    const objects = render().filter((object) => object.kind !== 'PodDisruptionBudget');
    const container = deploymentOf(objects).spec.template.spec.containers[0];
    delete container.readinessProbe;
    container.image = 'fleet/procurement:latest';
    const problems = problemsOf(objects);
    assert.ok(problems.some((problem) => /readinessProbe missing/.test(problem)));
    assert.ok(problems.some((problem) => /no PodDisruptionBudget covers/.test(problem)));
    assert.ok(problems.some((problem) => /must be pinned/.test(problem)));
  });
});

describe('docker/compose.yaml', () => {
  it('runs every service, built from the one Dockerfile', () => {
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

  it('names a missing service and a broken dependency', () => {
    const root = fixture({
      'compose.yaml': `
services:
  nats: {image: nats, command: ['-js'], healthcheck: {test: ['CMD', 'true']}}
  postgres: {image: postgres, healthcheck: {test: ['CMD', 'true']}}
  procurement:
    build: {dockerfile: docker/Dockerfile, args: {APP: procurement, PORT: '3001'}}
    environment: {PORT: '3001', NATS_URL: x, DATABASE_URL: y, FLEET_API_KEYS: z}
    depends_on: {nats: {condition: service_healthy}, postgress: {condition: service_healthy}}
    healthcheck: {test: ['CMD', 'true']}
`,
    });
    const { problems } = checkCompose(join(root, 'compose.yaml'), ['inventory', 'procurement']);
    assert.ok(problems.includes('service procurement: depends on unknown service postgress'));
    assert.ok(problems.includes('service procurement: depends_on postgres with condition service_healthy'));
    assert.ok(problems.includes('service inventory missing (every app under apps/ runs in compose)'));
  });
});

describe('the repository', () => {
  it('validates, one line per object, without kubectl', async () => {
    const lines = [];
    const failures = await validateAll({ useKubectl: false, log: (line) => lines.push(line) });
    assert.equal(failures, 0, lines.filter((line) => line.startsWith('FAIL')).join('\n'));
    assert.ok(lines.includes('ok    k8s/overlays/us-tx-01  apps/v1 Deployment fleet/procurement'));
    assert.ok(lines.includes('ok    k8s/base  policy/v1 PodDisruptionBudget inventory'));
  });
});
