#!/usr/bin/env node
// `npm run k8s:validate`: renders k8s/base and every k8s/overlays/* with the real kustomize (`kubectl
// kustomize`, else a standalone `kustomize build`), checks every rendered object against the Kubernetes
// schemas of the `kubernetes-models` package and against Fleet's rules (k8s/README.md), and checks that
// docker/compose.yaml runs every app under apps/. Prints one line per object and per problem.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const INSTALL_HINT =
  'k8s:validate needs kubectl >= 1.27 (it bundles kustomize v5) or a standalone kustomize v5 on the PATH, ' +
  'and found neither: install kubectl (https://kubernetes.io/docs/tasks/tools/) or kustomize ' +
  '(https://kubectl.docs.kubernetes.io/installation/kustomize/)';

/** A missing tool or a failed render: printed as its message, without a stack. */
export class ManifestError extends Error {}

// --- Rendering -----------------------------------------------------------------------------------------

/** The command that renders a kustomization: kubectl's bundled kustomize v5, else a standalone one. */
export function findRenderer() {
  const major = (command, args, pattern) =>
    Number(pattern.exec(spawnSync(command, args, { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 0);
  if (major('kubectl', ['version', '--client'], /Kustomize Version: v(\d+)/) >= 5)
    return ['kubectl', 'kustomize'];
  if (major('kustomize', ['version'], /v(\d+)\./) >= 5) return ['kustomize', 'build'];
  throw new ManifestError(INSTALL_HINT);
}

/** The objects that `kubectl kustomize dir` (or `kustomize build dir`) renders. */
export function render(dir, [command, subcommand] = findRenderer()) {
  const result = spawnSync(command, [subcommand, dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new ManifestError(`${command} ${subcommand}: ${result.stderr.trim()}`);
  return YAML.parseAllDocuments(result.stdout)
    .map((document) => document.toJS())
    .filter((object) => object != null);
}

export const objectId = ({ apiVersion, kind, metadata = {} }) =>
  `${apiVersion} ${kind} ${metadata.namespace ? `${metadata.namespace}/` : ''}${metadata.name}`;
const isPlainObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const containersOf = ({ spec }) => [
  ...(spec?.template?.spec?.initContainers ?? []),
  ...(spec?.template?.spec?.containers ?? []),
];

// --- Kubernetes schemas --------------------------------------------------------------------------------

/** kubernetes-models' module for the object's kind (e.g. apps/v1/Deployment); undefined if malformed. */
const modelPath = ({ apiVersion, kind }) =>
  /^[a-z0-9.]+(\/v\w+)?$/.test(apiVersion) && /^[A-Za-z]\w*$/.test(kind)
    ? `${apiVersion}/${kind}`
    : undefined;

/** One list of problems ("path: problem") per object: types, enums, required and unknown fields, names. */
export async function validateSchemas(objects) {
  const load = (path) => import(`kubernetes-models/${path}`).catch(() => undefined);
  const models = await Promise.all(objects.map((object) => load(modelPath(object))));
  ts ??= (await import('typescript')).default;
  const unknownFields = unknownFieldChecker(objects.filter((_, i) => models[i]).map(modelPath));
  return objects.map((object, i) => {
    const Model = models[i]?.[object.kind];
    if (!Model) return [`no schema for ${object.apiVersion} ${object.kind} in kubernetes-models`];
    const problems = [];
    try {
      new Model(structuredClone(object)).validate();
    } catch (error) {
      const errors = error.errors ?? [{ instancePath: '', message: error.message }];
      for (const { instancePath, message } of errors) {
        const path = instancePath.slice(1).replaceAll('/', '.').replaceAll('~1', '/').replaceAll('~0', '~');
        problems.push(`${path || '(root)'}: ${message}`);
      }
    }
    return [...problems, ...unknownFields(object), ...checkNames(object)];
  });
}

let ts; // loaded on first use: a missing kubectl is reported without waiting for it
let program; // kubernetes-models' TypeScript declarations, compiled once per process and grown per kind

/**
 * kubernetes-models' JSON schemas accept any extra field, so a misspelt `readinesProbe` would pass
 * them: this walks each object along the package's TypeScript interface for its kind instead.
 */
function unknownFieldChecker(paths) {
  const declarations = (path) =>
    fileURLToPath(import.meta.resolve(`kubernetes-models/${path}`)).replace(/\.js$/, '.d.ts');
  const missing = paths.map(declarations).filter((file) => !program?.getSourceFile(file));
  if (!program || missing.length > 0) {
    const options = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
    Object.assign(options, { noEmit: true, skipLibCheck: true, types: [], lib: ['lib.es2022.d.ts'] });
    const roots = [...(program?.getRootFileNames() ?? []), ...missing];
    program = ts.createProgram(roots, options, undefined, program);
  }
  const checker = program.getTypeChecker();
  const walk = (value, type, path, problems) => {
    type = checker.getNonNullableType(type);
    if (type.isUnion()) {
      const objectTypes = type.types.filter((member) => member.flags & ts.TypeFlags.Object);
      if (objectTypes.length !== 1) return; // e.g. IntOrString: its JSON schema is enough
      type = objectTypes[0];
    }
    if (Array.isArray(value) && checker.isArrayType(type)) {
      const [itemType] = checker.getTypeArguments(type);
      value.forEach((item, i) => walk(item, itemType, [...path, i], problems));
    } else if (isPlainObject(value) && type.flags & ts.TypeFlags.Object && !checker.isArrayType(type)) {
      for (const [key, child] of Object.entries(value)) {
        const property = type.getProperty(key);
        const childType = property ? checker.getTypeOfSymbol(property) : type.getStringIndexType();
        if (childType) walk(child, childType, [...path, key], problems);
        else problems.push(`${[...path, key].join('.')}: unknown field "${key}"`);
      }
    }
    return problems;
  };
  return (object) => {
    const file = program.getSourceFile(declarations(modelPath(object)));
    const model = checker.getSymbolAtLocation(file).exports.get(`I${object.kind}`);
    return walk(object, checker.getDeclaredTypeOfSymbol(model), [], []);
  };
}

const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^(?=.{1,63}$)[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(?=.{0,63}$)([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The API server's rules for names and labels, which the schemas do not carry. */
export function checkNames(object) {
  const problems = [];
  const name = object.metadata?.name ?? '';
  const [pattern, rule] = {
    Service: [DNS_1035_LABEL, 'DNS-1035 label'],
    Namespace: [DNS_LABEL, 'DNS-1123 label'],
  }[object.kind] ?? [DNS_SUBDOMAIN, 'DNS-1123 subdomain'];
  if (!pattern.test(name)) problems.push(`metadata.name: "${name}" is not a ${rule}`);
  const labelSets = {
    'metadata.labels': object.metadata?.labels,
    'spec.template.metadata.labels': object.spec?.template?.metadata?.labels,
    'spec.selector.matchLabels': object.spec?.selector?.matchLabels,
    ...(object.kind === 'Service' && { 'spec.selector': object.spec?.selector }),
  };
  for (const [path, labels] of Object.entries(labelSets)) {
    for (const [key, value] of Object.entries(isPlainObject(labels) ? labels : {})) {
      const [prefix, local] = key.includes('/') ? key.split(/\/(?=[^/]*$)/) : [undefined, key];
      if ((prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) || !local || !LABEL_VALUE.test(local))
        problems.push(`${path}: "${key}" is not a valid label key`);
      if (typeof value !== 'string' || !LABEL_VALUE.test(value))
        problems.push(`${path}.${key}: ${JSON.stringify(value)} is not a valid label value`);
    }
  }
  for (const container of containersOf(object)) {
    if (!DNS_LABEL.test(container.name ?? ''))
      problems.push(`container "${container.name}": name is not a DNS-1123 label`);
    for (const { name: port } of container.ports ?? []) {
      if (port !== undefined && !PORT_NAME.test(port))
        problems.push(`container ${container.name}: port name "${port}" is not valid`);
    }
  }
  return problems;
}

// --- Fleet's rules (k8s/README.md): for each kind, what must hold, and the test ------------------------

const selects = (selector, labels) =>
  isPlainObject(selector) &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);
const fromSecret = (setting) => (container) =>
  container.env?.find((variable) => variable.name === setting)?.valueFrom?.secretKeyRef !== undefined;

/** Splits `registry:5000/team/app:1.2@sha256:…` into name, tag and digest. */
export function parseImage(image) {
  const [withTag, digest] = image.split('@');
  const colon = withTag.indexOf(':', withTag.lastIndexOf('/') + 1);
  if (colon === -1) return { name: withTag, tag: undefined, digest };
  return { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
}

// For each kind, what must hold (the message when it does not) and the test, given the object, its pod
// spec (workloads) and the render as a whole.
const RULES = {
  Secret: { 'never commit a Secret: the facility creates fleet-secrets': () => false },
  ConfigMap: {
    'NATS_URL must be a nats:// or tls:// URL': ({ data }) =>
      data?.NATS_URL === undefined || /^(nats|tls):\/\/\S+$/.test(data.NATS_URL),
    'NATS_URL must not carry credentials (each service has its NATS user; passwords live in Secrets)': ({
      data,
    }) =>
      data?.NATS_URL === undefined ||
      !data.NATS_URL.split(',').some((url) => /^\w+:\/\/[^/]*@/.test(url.trim())),
    'NATS_STREAM_REPLICAS must be 1, 3 or 5': ({ data }) =>
      data?.NATS_URL === undefined || ['1', '3', '5'].includes(data.NATS_STREAM_REPLICAS),
  },
  Service: {
    'needs a port named http with targetPort http': ({ spec }) =>
      (spec?.ports ?? []).some((port) => port.name === 'http' && port.targetPort === 'http'),
  },
  Deployment: {
    'spec.selector.matchLabels must select the pod template labels': ({ spec }) =>
      selects(spec?.selector?.matchLabels, spec?.template?.metadata?.labels),
    'at least 2 replicas (the PodDisruptionBudget keeps 1 through a drain)': ({ spec }) =>
      (spec?.replicas ?? 1) >= 2,
    'terminationGracePeriodSeconds of 30 or more': (_, pod) =>
      (pod.terminationGracePeriodSeconds ?? 30) >= 30,
    'pod securityContext.runAsNonRoot: true': (_, pod) => pod.securityContext?.runAsNonRoot === true,
    'serviceAccountName must name a ServiceAccount of this render': (_, pod, render) =>
      render.names('ServiceAccount').includes(pod.serviceAccountName),
    'topologySpreadConstraints missing': (_, pod) => pod.topologySpreadConstraints?.length > 0,
    'no Service selects its pods': ({ spec }, _, render) =>
      render
        .of('Service')
        .some((service) => selects(service.spec?.selector, spec?.template?.metadata?.labels)),
    'no PodDisruptionBudget covers it': ({ spec }, _, render) =>
      render
        .of('PodDisruptionBudget')
        .some((budget) => selects(budget.spec?.selector?.matchLabels, spec?.template?.metadata?.labels)),
  },
};

/** The same for every container of a Deployment, given the container, its pod spec and the render. */
const CONTAINER_RULES = {
  'startupProbe missing': (container) => container.startupProbe !== undefined,
  'livenessProbe must GET /health/live': ({ livenessProbe }) =>
    livenessProbe?.httpGet?.path === '/health/live',
  'readinessProbe must GET /health/ready': ({ readinessProbe }) =>
    readinessProbe?.httpGet?.path === '/health/ready',
  'resources.requests and resources.limits need cpu and memory': ({ resources }) =>
    [resources?.requests, resources?.limits].every(
      (bound) => bound?.cpu !== undefined && bound?.memory !== undefined,
    ),
  'securityContext.readOnlyRootFilesystem: true': ({ securityContext }) =>
    securityContext?.readOnlyRootFilesystem === true,
  'securityContext.allowPrivilegeEscalation: false': ({ securityContext }) =>
    securityContext?.allowPrivilegeEscalation === false,
  'securityContext.capabilities.drop: [ALL]': ({ securityContext }) =>
    securityContext?.capabilities?.drop?.includes('ALL') === true,
  '/tmp must be an emptyDir mount': ({ volumeMounts }, pod) => {
    const mount = volumeMounts?.find((candidate) => candidate.mountPath === '/tmp');
    return (
      pod.volumes?.some((volume) => volume.name === mount?.name && volume.emptyDir !== undefined) === true
    );
  },
  'needs a container port named http': ({ ports }) => ports?.some((port) => port.name === 'http') === true,
  'DATABASE_URL must come from the Secret (valueFrom.secretKeyRef)': fromSecret('DATABASE_URL'),
  'FLEET_API_KEYS must come from the Secret (valueFrom.secretKeyRef)': fromSecret('FLEET_API_KEYS'),
  'NATS_PASSWORD must come from the Secret (valueFrom.secretKeyRef)': fromSecret('NATS_PASSWORD'),
  'NATS_USER must be the service’s own NATS user (its container name)': (container) =>
    container.env?.find((variable) => variable.name === 'NATS_USER')?.value === container.name,
  'NATS_INBOX_PREFIX must be _INBOX_<its NATS user> (the only replies it may subscribe to)': (container) =>
    container.env?.find((variable) => variable.name === 'NATS_INBOX_PREFIX')?.value ===
    `_INBOX_${container.name}`,
  'envFrom names a ConfigMap that is not in this render': ({ envFrom }, _, render) =>
    (envFrom ?? []).every(
      ({ configMapRef }) => !configMapRef || render.names('ConfigMap').includes(configMapRef.name),
    ),
  'image must be pinned to a tag (not latest) or a digest in an overlay': ({ image }, _, render) => {
    const { tag, digest } = parseImage(image ?? '');
    return !render.isOverlay || digest !== undefined || (tag !== undefined && tag !== 'latest');
  },
};
const CLUSTER_SCOPED = new Set([
  ...['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass'],
  ...['StorageClass', 'IngressClass', 'PersistentVolume', 'ValidatingWebhookConfiguration'],
  'MutatingWebhookConfiguration',
]);

/** Problems keyed by objectId. `isOverlay` adds what a deployable render needs (namespace, pinned images). */
export function checkFleetRules(objects, { isOverlay }) {
  const render = { isOverlay, of: (kind) => objects.filter((object) => object.kind === kind) };
  render.names = (kind) => render.of(kind).map((object) => object.metadata?.name);
  const problems = new Map();
  for (const object of objects) {
    const pod = object.spec?.template?.spec ?? {};
    const messages = Object.entries(RULES[object.kind] ?? {})
      .filter(([, holds]) => !holds(object, pod, render))
      .map(([message]) => message);
    for (const container of object.kind === 'Deployment' ? (pod.containers ?? []) : []) {
      for (const [message, holds] of Object.entries(CONTAINER_RULES))
        if (!holds(container, pod, render)) messages.push(`container ${container.name}: ${message}`);
    }
    if (isOverlay && !CLUSTER_SCOPED.has(object.kind) && !object.metadata?.namespace)
      messages.push('no namespace: an overlay sets one');
    if (messages.length > 0) problems.set(objectId(object), messages);
  }
  return problems;
}

// --- docker/compose.yaml -------------------------------------------------------------------------------

/** Every deployable service: an app under apps/ built by webpack. */
export const listServices = (root = ROOT) =>
  readdirSync(join(root, 'apps'))
    .filter((name) => existsSync(join(root, 'apps', name, 'webpack.config.cjs')))
    .sort();

/** Problems with docker/compose.yaml, and one line per app service it runs. */
export function checkCompose(file, services) {
  const problems = [];
  const lines = [];
  // Compose reads YAML 1.2 and honours merge keys (<<: *anchor).
  const document = YAML.parseDocument(readFileSync(file, 'utf8'), { merge: true });
  if (document.errors.length > 0) return { problems: [document.errors[0].message.split('\n')[0]], lines };
  const { services: defined = {}, volumes = {} } = document.toJS({ maxAliasCount: 100 }) ?? {};
  for (const name of ['nats', 'postgres']) if (!defined[name]) problems.push(`service ${name} missing`);
  if (defined.nats && !/(^|\s)(-js|--jetstream)(\s|$)/.test((defined.nats.command ?? []).join(' ')))
    problems.push('service nats: JetStream is not enabled (-js)');
  for (const [name, service] of Object.entries(defined)) {
    if (!service.healthcheck) problems.push(`service ${name}: no healthcheck`);
    const dependsOn = service.depends_on ?? {};
    for (const dependency of Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn)) {
      if (!defined[dependency]) problems.push(`service ${name}: depends on unknown service ${dependency}`);
      else if (dependsOn[dependency]?.condition === 'service_healthy' && !defined[dependency].healthcheck)
        problems.push(`service ${name}: waits for ${dependency} to be healthy, which has no healthcheck`);
    }
    for (const mount of service.volumes ?? []) {
      const volume = typeof mount === 'string' ? mount.split(':')[0] : mount.source;
      if (volume && !/^[./~$]/.test(volume) && !(volume in volumes))
        problems.push(`service ${name}: volume ${volume} is not declared under volumes`);
    }
  }
  for (const name of services) {
    const problem = (message) => problems.push(`service ${name}: ${message}`);
    if (!defined[name]) {
      problems.push(`service ${name} missing (every app under apps/ runs in compose)`);
      continue;
    }
    const { build, environment = {}, depends_on: dependsOn } = defined[name];
    if (!isPlainObject(environment)) {
      problem('environment must be a mapping');
      continue;
    }
    if (build?.dockerfile !== 'docker/Dockerfile' || build?.args?.APP !== name)
      problem(`build docker/Dockerfile with args.APP ${name}`);
    if (String(build?.args?.PORT) !== String(environment.PORT))
      problem('build args.PORT and environment PORT differ');
    for (const setting of ['PORT', 'NATS_URL', 'DATABASE_URL', 'FLEET_API_KEYS'])
      if (environment[setting] === undefined) problem(`environment ${setting} missing`);
    for (const dependency of ['nats', 'postgres'])
      if (dependsOn?.[dependency]?.condition !== 'service_healthy')
        problem(`depends_on ${dependency} with condition service_healthy`);
    lines.push(`service ${name} (APP=${build?.args?.APP}, PORT=${environment.PORT})`);
  }
  return { problems, lines };
}

// --- k8s/nats/fleet-authorization.conf against the apps' consumers -------------------------------------

/** Every `defineEvent('<context>', '<Type>', …)` of libs/contracts: event type → its context. */
export function eventContexts(root = ROOT) {
  const contexts = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.includes('.spec.'))
        for (const [, context, type] of readFileSync(path, 'utf8').matchAll(
          /defineEvent\(\s*'([a-z-]+)',\s*'(\w+)'/g,
        ))
          contexts.set(type, context);
    }
  };
  const contracts = join(root, 'libs', 'contracts', 'src');
  if (existsSync(contracts)) walk(contracts);
  return contexts;
}

/** The event types a service consumes: every `@OnEvent(Type)` under apps/<service>/src. */
export function consumedEventTypes(service, root = ROOT) {
  const types = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.includes('.spec.'))
        for (const [, type] of readFileSync(path, 'utf8').matchAll(/@OnEvent\(\s*(\w+)\s*[,)]/g))
          types.add(type);
    }
  };
  const sources = join(root, 'apps', service, 'src');
  if (existsSync(sources)) walk(sources);
  return [...types].sort();
}

/** The contexts a service consumes whole: every `@OnContextEvents('<context>')` under apps/<service>/src. */
export function consumedContexts(service, root = ROOT) {
  const contexts = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.includes('.spec.'))
        for (const [, context] of readFileSync(path, 'utf8').matchAll(
          /@OnContextEvents\(\s*'([a-z-]+)'\s*\)/g,
        ))
          contexts.add(context);
    }
  };
  const sources = join(root, 'apps', service, 'src');
  if (existsSync(sources)) walk(sources);
  return [...contexts].sort();
}

/** A durable consumer's subjects: bind it, pull, settle, and dead-letter what it gives up on. */
function durableSubjects(stream, durable) {
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
    `$JS.API.CONSUMER.CREATE.${stream}.${durable}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
    `fleet.dead-letter.${durable}`,
  ];
}

/** The quoted subjects of one `<SERVICE>_PERMISSIONS = { … }` block of the authorization file. */
function permissionsOf(conf, service) {
  const start = conf.indexOf(`${service.toUpperCase()}_PERMISSIONS = {`);
  if (start < 0) return undefined;
  const end = conf.indexOf('subscribe', start);
  return new Set([...conf.slice(start, end).matchAll(/"([^"]+)"/g)].map(([, subject]) => subject));
}

/**
 * Problems where a service consumes an event its NATS user may not read: each `@OnEvent` durable
 * (`<service>-<Type>` on the event's context stream) and each `@OnContextEvents` durable
 * (`<service>-<context>`) needs its consumer, pull, ack and dead-letter
 * subjects in the service's block, or the service fails at start-up under the shipped permissions.
 */
export function checkNatsPermissions(root = ROOT, services = listServices(root)) {
  const file = join(root, 'k8s', 'nats', 'fleet-authorization.conf');
  if (!existsSync(file)) return [];
  const conf = readFileSync(file, 'utf8');
  const contexts = eventContexts(root);
  const problems = [];
  for (const service of services) {
    const allowed = permissionsOf(conf, service);
    if (!allowed) {
      problems.push(`no ${service.toUpperCase()}_PERMISSIONS block for service ${service}`);
      continue;
    }
    for (const type of consumedEventTypes(service, root)) {
      const context = contexts.get(type);
      if (!context) {
        problems.push(`${service} consumes ${type}, which no contract defines`);
        continue;
      }
      for (const subject of durableSubjects(context.toUpperCase(), `${service}-${type}`))
        if (!allowed.has(subject))
          problems.push(`${service} consumes ${type}: ${subject} is not allowed to its NATS user`);
    }
    // `@OnContextEvents('<context>')`: one durable `<service>-<context>` on the context's stream.
    for (const context of consumedContexts(service, root))
      for (const subject of durableSubjects(context.toUpperCase(), `${service}-${context}`))
        if (!allowed.has(subject))
          problems.push(
            `${service} consumes every ${context} event: ${subject} is not allowed to its NATS user`,
          );
  }
  return problems;
}

// --- Headquarters (docs/hq.md) -------------------------------------------------------------------------

/** What runs at headquarters: reporting over every facility's streams, nothing else. */
export const HQ_SERVICES = ['reporting'];

/**
 * The facility ids of a headquarters render (its fleet-config says REPORTING_MODE=hq), in the order
 * of HQ_FACILITIES; undefined for a facility's render.
 */
export function headquartersFacilities(objects) {
  const config = objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata?.name?.startsWith('fleet-config'),
  )?.data;
  if (config?.REPORTING_MODE !== 'hq') return undefined;
  return (config.HQ_FACILITIES ?? '')
    .split(',')
    .map((entry) => entry.trim().split('=')[0])
    .filter(Boolean);
}

/**
 * Problems where reporting at headquarters could not do its work under k8s/nats-hq/hq-authorization.conf:
 * for each facility, create and update its copy of every context's stream (HQ_<CONTEXT>_<facility>)
 * and bind, pull, ack and dead-letter its consumer of each context it reads
 * (reporting-<context>-<facility>).
 */
export function checkHeadquartersPermissions(facilities, root = ROOT) {
  const file = join(root, 'k8s', 'nats-hq', 'hq-authorization.conf');
  if (!existsSync(file)) return ['k8s/nats-hq/hq-authorization.conf is missing'];
  const allowed = permissionsOf(readFileSync(file, 'utf8'), 'reporting');
  if (!allowed) return ['no REPORTING_PERMISSIONS block for reporting at headquarters'];
  const problems = facilities.length === 0 ? ['HQ_FACILITIES lists no facility'] : [];
  const contexts = [...new Set(eventContexts(root).values())].sort();
  const read = new Set(consumedContexts('reporting', root));
  for (const facility of facilities)
    for (const context of contexts) {
      const stream = `HQ_${context.toUpperCase()}_${facility}`;
      const subjects = ['INFO', 'CREATE', 'UPDATE'].map((call) => `$JS.API.STREAM.${call}.${stream}`);
      if (read.has(context)) subjects.push(...durableSubjects(stream, `reporting-${context}-${facility}`));
      for (const subject of new Set(subjects))
        if (!allowed.has(subject))
          problems.push(
            `reporting at headquarters, ${context} of ${facility}: ${subject} is not allowed to its NATS user`,
          );
    }
  return problems;
}

/** The NATS server configurations Fleet ships, each checked by the real nats-server (`-t`). */
export const NATS_SERVER_CONFIGS = ['k8s/nats/fleet-facility.conf', 'k8s/nats-hq/fleet-hq.conf'];

/**
 * Runs `nats-server -c <file> -t` on a shipped configuration (its includes resolved next to it),
 * with a placeholder for every `$FLEET_…` variable it names (a throwaway certificate for the TLS
 * files). Returns the problems, or undefined when nats-server (or openssl) is not installed.
 */
export function checkNatsServerConfig(file, root = ROOT) {
  const server = process.env.NATS_SERVER_BIN ?? 'nats-server';
  const directory = dirname(join(root, file));
  const text = readdirSync(directory)
    .filter((name) => name.endsWith('.conf'))
    .map((name) => readFileSync(join(directory, name), 'utf8'))
    .join('\n');
  const scratch = mkdtempSync(join(tmpdir(), 'fleet-nats-conf-'));
  try {
    const cert = join(scratch, 'tls.crt');
    const key = join(scratch, 'tls.key');
    const openssl = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=fleet',
      ],
      { encoding: 'utf8' },
    );
    if (openssl.error) return undefined;
    const env = { ...process.env };
    for (const [, name] of text.matchAll(/\$(FLEET_[A-Z0-9_]+)/g))
      env[name] = /_(CERT|CA)_FILE$/.test(name)
        ? cert
        : name.endsWith('_KEY_FILE')
          ? key
          : name.endsWith('_URL')
            ? 'tls://leaf:placeholder@127.0.0.1:7422'
            : name.endsWith('_ADVERTISE')
              ? '127.0.0.1:7422'
              : 'placeholder';
    const result = spawnSync(server, ['-c', join(root, file), '-t'], { encoding: 'utf8', env });
    if (result.error) return undefined;
    return result.status === 0 ? [] : [`${result.stderr}${result.stdout}`.trim()];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// --- The command ---------------------------------------------------------------------------------------

/** k8s/base and every overlay, relative to the root. */
export function listKustomizations(root = ROOT) {
  const overlays = join(root, 'k8s', 'overlays');
  const names = existsSync(overlays) ? readdirSync(overlays, { withFileTypes: true }) : [];
  const dirs = names.filter((entry) => entry.isDirectory()).map((entry) => `k8s/overlays/${entry.name}`);
  return ['k8s/base', ...dirs.sort()];
}

/** Kustomizations of what Fleet ships for others' workloads (NATS's permissions): no services in them. */
export const SUPPORT_KUSTOMIZATIONS = ['k8s/nats', 'k8s/nats-hq'];

/** Runs every check, printing one line per object and per problem; returns the number of problems. */
export async function validateAll({ root = ROOT, log = console.log } = {}) {
  const renderer = findRenderer();
  let failures = 0;
  const fail = (message) => (failures++, log(`FAIL  ${message}`));
  const services = listServices(root);
  const compose = checkCompose(join(root, 'docker', 'compose.yaml'), services);
  for (const line of compose.lines) log(`ok    docker/compose.yaml  ${line}`);
  for (const problem of compose.problems) fail(`docker/compose.yaml: ${problem}`);
  const natsProblems = checkNatsPermissions(root, services);
  for (const problem of natsProblems) fail(`k8s/nats/fleet-authorization.conf: ${problem}`);
  if (natsProblems.length === 0)
    log('ok    k8s/nats/fleet-authorization.conf  every consumer of every app is allowed');
  for (const file of NATS_SERVER_CONFIGS) {
    const problems = checkNatsServerConfig(file, root);
    if (problems === undefined) log(`skip  ${file}  (nats-server or openssl not installed: not checked)`);
    else if (problems.length === 0) log(`ok    ${file}  nats-server -t accepts it`);
    for (const problem of problems ?? []) fail(`${file}: ${problem}`);
  }

  const supporting = SUPPORT_KUSTOMIZATIONS.filter((path) => existsSync(join(root, path)));
  for (const kustomization of [...listKustomizations(root), ...supporting]) {
    let objects;
    try {
      objects = render(join(root, kustomization), renderer);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      fail(`${kustomization}: ${error.message}`);
      continue;
    }
    const schemaProblems = await validateSchemas(objects);
    const ruleProblems = checkFleetRules(objects, { isOverlay: kustomization !== 'k8s/base' });
    const deployments = objects
      .filter((object) => object.kind === 'Deployment')
      .map((object) => object.metadata?.name);
    // Headquarters runs reporting only; a facility every service.
    const facilities = headquartersFacilities(objects);
    const expected = facilities ? HQ_SERVICES : services;
    for (const name of expected.filter((service) => !deployments.includes(service)))
      if (!supporting.includes(kustomization)) fail(`${kustomization}: no Deployment for service ${name}`);
    for (const name of deployments.filter((deployment) => !expected.includes(deployment)))
      fail(
        facilities
          ? `${kustomization}: Deployment ${name} at headquarters, which runs ${HQ_SERVICES.join(', ')} only`
          : `${kustomization}: Deployment ${name} is not an app under apps/`,
      );
    if (facilities) {
      const problems = checkHeadquartersPermissions(facilities, root);
      for (const problem of problems) fail(`${kustomization}: ${problem}`);
      if (problems.length === 0)
        log(
          `ok    ${kustomization}  k8s/nats-hq/hq-authorization.conf allows reporting for ${facilities.join(', ')}`,
        );
    }
    objects.forEach((object, i) => {
      const problems = [...schemaProblems[i], ...(ruleProblems.get(objectId(object)) ?? [])];
      if (problems.length === 0) log(`ok    ${kustomization}  ${objectId(object)}`);
      for (const problem of problems) fail(`${kustomization}  ${objectId(object)}: ${problem}`);
    });
  }
  log(`ok    rendered with ${renderer.join(' ')}`);
  return failures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const failures = await validateAll();
    console.log(failures === 0 ? 'k8s:validate: all valid' : `k8s:validate: ${failures} problem(s)`);
    process.exitCode = failures === 0 ? 0 : 1;
  } catch (error) {
    console.error(error instanceof ManifestError ? error.message : error);
    process.exitCode = 1;
  }
}
