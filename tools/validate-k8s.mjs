#!/usr/bin/env node
// `npm run k8s:validate`: renders k8s/base and every k8s/overlays/* offline, validates every rendered
// object against the Kubernetes schemas (types, required fields and unknown fields) and Fleet's own
// deployment rules, and checks that docker/compose.yaml parses and runs every service.
//
// Rendering needs no kubectl: this file implements the subset of kustomize that k8s/ uses (listed in
// k8s/README.md; anything else is refused by name). Where kubectl is installed, its `kubectl kustomize`
// renders the same directories too and both renders must be equal, so the subset cannot drift from the
// real thing unnoticed.
//
//   node tools/validate-k8s.mjs                 validate everything (one line per object)
//   node tools/validate-k8s.mjs --no-kubectl    the same without the kubectl cross-check
//   node tools/validate-k8s.mjs --print DIR     print DIR's render as YAML (e.g. k8s/overlays/us-tx-01)
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import ts from 'typescript';
import YAML from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A problem found in a manifest; the message names the file or object and the field. */
export class ManifestError extends Error {}

// ---------------------------------------------------------------------------------------------------
// YAML

// kubectl reads manifests as YAML 1.1, where an unquoted yes, no, on or off is a boolean: read them the
// same way, so `value: yes` fails the schema here rather than at apply time.
const KUBERNETES_YAML = { version: '1.1', uniqueKeys: true };

/** Every non-empty document of a YAML text, refusing duplicate keys and syntax errors. */
export function parseYamlDocuments(text, where, options = KUBERNETES_YAML) {
  const result = [];
  for (const document of YAML.parseAllDocuments(text, options)) {
    const problem = document.errors[0];
    if (problem) throw new ManifestError(`${where}: ${problem.message.split('\n')[0]}`);
    const value = document.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) result.push(value);
  }
  return result;
}

export function readYamlDocuments(file, options = KUBERNETES_YAML) {
  return parseYamlDocuments(readFileSync(file, 'utf8'), rel(file), options);
}

function rel(path) {
  return relative(ROOT, path) || '.';
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone(value) {
  return structuredClone(value);
}

// ---------------------------------------------------------------------------------------------------
// The kustomize subset

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'labels',
  'images',
  'replicas',
  'configMapGenerator',
  'patches',
]);
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'IngressClass',
  'PersistentVolume',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);
const TEMPLATED_WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']);
const SCALABLE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);
// Strategic merge: lists of these fields merge item by item on the key; any other list is replaced.
const MERGE_KEYS = new Map([
  ['containers', 'name'],
  ['initContainers', 'name'],
  ['ephemeralContainers', 'name'],
  ['env', 'name'],
  ['volumes', 'name'],
  ['volumeMounts', 'mountPath'],
  ['imagePullSecrets', 'name'],
  ['topologySpreadConstraints', 'topologyKey'],
]);

/**
 * Renders the kustomization in `dir` the way `kubectl kustomize dir` does, for the fields listed in
 * KUSTOMIZATION_FIELDS. Returns the rendered objects in resource order.
 */
export function renderKustomization(dir) {
  const resources = buildKustomization(resolve(dir), []);
  finishGeneratedConfigMaps(resources);
  return resources.map((resource) => resource.object);
}

function buildKustomization(dir, stack) {
  const file = KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (!file) throw new ManifestError(`${rel(dir)}: no kustomization.yaml`);
  if (stack.includes(dir)) throw new ManifestError(`${rel(dir)}: kustomization cycle`);
  const [kustomization, ...extra] = readYamlDocuments(file);
  const where = rel(file);
  if (!isPlainObject(kustomization) || extra.length > 0) {
    throw new ManifestError(`${where}: expected one Kustomization document`);
  }
  if (kustomization.kind !== undefined && kustomization.kind !== 'Kustomization') {
    throw new ManifestError(`${where}: kind ${kustomization.kind} is not supported (only Kustomization)`);
  }
  for (const field of Object.keys(kustomization)) {
    if (!KUSTOMIZATION_FIELDS.has(field)) {
      throw new ManifestError(
        `${where}: field "${field}" is outside the kustomize subset tools/validate-k8s.mjs renders ` +
          `(${[...KUSTOMIZATION_FIELDS].join(', ')}); see k8s/README.md`,
      );
    }
  }

  const resources = [];
  for (const entry of listField(kustomization, 'resources', where)) {
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new ManifestError(`${where}: resource ${entry} does not exist`);
    if (statSync(path).isDirectory()) {
      resources.push(...buildKustomization(path, [...stack, dir]));
    } else {
      for (const object of readYamlDocuments(path)) {
        if (!isPlainObject(object) || !object.kind || !object.metadata?.name) {
          throw new ManifestError(`${rel(path)}: every document needs kind and metadata.name`);
        }
        resources.push({ object, generated: false });
      }
    }
  }
  for (const generator of listField(kustomization, 'configMapGenerator', where)) {
    applyConfigMapGenerator(resources, generator, where);
  }
  // kustomize's order of built-in transformers: patches, namespace, labels, replicas, images.
  for (const patch of listField(kustomization, 'patches', where)) applyPatch(resources, patch, dir, where);
  if (kustomization.namespace !== undefined) applyNamespace(resources, kustomization.namespace, where);
  for (const label of listField(kustomization, 'labels', where)) applyLabels(resources, label, where);
  for (const replica of listField(kustomization, 'replicas', where)) applyReplicas(resources, replica, where);
  for (const image of listField(kustomization, 'images', where)) applyImage(resources, image, where);

  const seen = new Set();
  for (const { object } of resources) {
    const id = objectId(object);
    if (seen.has(id)) throw new ManifestError(`${where}: ${id} is defined twice`);
    seen.add(id);
  }
  return resources;
}

function listField(kustomization, field, where) {
  const value = kustomization[field] ?? [];
  if (!Array.isArray(value)) throw new ManifestError(`${where}: ${field} must be a list`);
  return value;
}

function rejectUnknownKeys(entry, allowed, where, what) {
  if (!isPlainObject(entry)) throw new ManifestError(`${where}: every ${what} entry must be a mapping`);
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key)) {
      throw new ManifestError(`${where}: ${what} field "${key}" is outside the supported subset`);
    }
  }
}

export function objectId(object) {
  const namespace = object.metadata?.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.apiVersion} ${object.kind} ${namespace}${object.metadata?.name}`;
}

function applyConfigMapGenerator(resources, generator, where) {
  rejectUnknownKeys(generator, ['name', 'behavior', 'literals'], where, 'configMapGenerator');
  const { name, behavior = 'create', literals = [] } = generator;
  if (typeof name !== 'string' || !name) throw new ManifestError(`${where}: configMapGenerator needs a name`);
  if (!Array.isArray(literals)) throw new ManifestError(`${where}: literals of ${name} must be a list`);
  const data = {};
  for (const literal of literals) {
    const [key, value] = parseLiteral(literal, where);
    data[key] = value;
  }
  // Like kustomize, a ConfigMap without keys has no data field at all.
  const withData = (object, entries) => {
    if (Object.keys(entries).length > 0) object.data = entries;
    else delete object.data;
    return object;
  };
  const existing = resources.find(
    ({ object, generated }) => generated && object.kind === 'ConfigMap' && object.metadata.name === name,
  );
  if (behavior === 'create') {
    if (existing)
      throw new ManifestError(`${where}: ConfigMap ${name} is generated twice; use behavior: merge`);
    resources.push({
      object: withData({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }, data),
      generated: true,
    });
  } else if (behavior === 'merge' || behavior === 'replace') {
    if (!existing) {
      throw new ManifestError(
        `${where}: behavior ${behavior} needs ConfigMap ${name} from a generator below`,
      );
    }
    withData(existing.object, behavior === 'merge' ? { ...existing.object.data, ...data } : data);
  } else {
    throw new ManifestError(`${where}: unknown configMapGenerator behavior ${behavior}`);
  }
}

function parseLiteral(literal, where) {
  const at = typeof literal === 'string' ? literal.indexOf('=') : -1;
  if (at <= 0) throw new ManifestError(`${where}: literal ${JSON.stringify(literal)} is not KEY=VALUE`);
  const key = literal.slice(0, at);
  let value = literal.slice(at + 1);
  if (!/^[-._a-zA-Z0-9]+$/.test(key))
    throw new ManifestError(`${where}: ${key} is not a valid ConfigMap key`);
  // kustomize removes one pair of matching surrounding quotes.
  if (value.length >= 2 && value[0] === value.at(-1) && (value[0] === '"' || value[0] === "'")) {
    value = value.slice(1, -1);
  }
  return [key, value];
}

function applyPatch(resources, entry, dir, where) {
  rejectUnknownKeys(entry, ['path', 'patch'], where, 'patches');
  let patches;
  let source;
  if (typeof entry.path === 'string') {
    const file = resolve(dir, entry.path);
    if (!existsSync(file)) throw new ManifestError(`${where}: patch ${entry.path} does not exist`);
    patches = readYamlDocuments(file);
    source = rel(file);
  } else if (typeof entry.patch === 'string') {
    source = `${where} (inline patch)`;
    patches = parseYamlDocuments(entry.patch, source);
  } else {
    throw new ManifestError(`${where}: a patch needs path or patch`);
  }
  for (const patch of patches) {
    if (!isPlainObject(patch)) {
      throw new ManifestError(`${source}: only strategic-merge patches are supported (no JSON 6902 lists)`);
    }
    const name = patch.metadata?.name;
    const namespace = patch.metadata?.namespace;
    const targets = resources.filter(
      ({ object }) =>
        object.kind === patch.kind &&
        object.apiVersion === patch.apiVersion &&
        object.metadata.name === name &&
        (namespace === undefined || object.metadata.namespace === namespace),
    );
    if (targets.length !== 1) {
      throw new ManifestError(`${source}: patch target ${patch.apiVersion} ${patch.kind} ${name} not found`);
    }
    strategicMerge(targets[0].object, patch, source);
  }
}

function mergeKeyOf(field, items) {
  // A container's ports merge on containerPort, a Service's on port.
  if (field === 'ports')
    return items.some((item) => item?.containerPort !== undefined) ? 'containerPort' : 'port';
  return MERGE_KEYS.get(field);
}

/** Strategic merge patch, for maps, replaced lists and the merge-keyed lists in MERGE_KEYS. */
export function strategicMerge(target, patch, source = 'patch', path = []) {
  for (const [key, value] of Object.entries(patch)) {
    const here = [...path, key];
    if (key.startsWith('$')) {
      throw new ManifestError(`${source}: directive ${key} at ${here.join('.')} is not supported`);
    }
    const current = target[key];
    if (value === null) {
      delete target[key];
    } else if (isPlainObject(value) && isPlainObject(current)) {
      strategicMerge(current, value, source, here);
    } else if (Array.isArray(value) && Array.isArray(current) && mergeKeyOf(key, value)) {
      const mergeKey = mergeKeyOf(key, value);
      // kustomize's order: the patch's items first, in patch order, then the items it did not name.
      const merged = value.map((item) => {
        if (!isPlainObject(item) || item[mergeKey] === undefined) {
          throw new ManifestError(`${source}: every item of ${here.join('.')} needs ${mergeKey}`);
        }
        const match = current.find((existing) => existing[mergeKey] === item[mergeKey]);
        return match ? strategicMerge(match, item, source, [...here, String(item[mergeKey])]) : clone(item);
      });
      const named = new Set(value.map((item) => item[mergeKey]));
      target[key] = [...merged, ...current.filter((existing) => !named.has(existing[mergeKey]))];
    } else {
      target[key] = clone(value);
    }
  }
  return target;
}

function applyNamespace(resources, namespace, where) {
  if (typeof namespace !== 'string' || !namespace)
    throw new ManifestError(`${where}: namespace must be a name`);
  for (const { object } of resources) {
    if (!CLUSTER_SCOPED_KINDS.has(object.kind)) object.metadata.namespace = namespace;
  }
}

function applyLabels(resources, entry, where) {
  rejectUnknownKeys(entry, ['pairs', 'includeSelectors', 'includeTemplates'], where, 'labels');
  if (entry.includeSelectors) {
    // Selectors are immutable once applied; selector labels belong in the manifests themselves.
    throw new ManifestError(`${where}: labels with includeSelectors: true are not supported`);
  }
  const pairs = entry.pairs ?? {};
  for (const [key, value] of Object.entries(pairs)) {
    if (typeof value !== 'string') throw new ManifestError(`${where}: label ${key} must be a string`);
  }
  for (const { object } of resources) {
    object.metadata.labels = { ...object.metadata.labels, ...pairs };
    if (entry.includeTemplates && TEMPLATED_WORKLOADS.has(object.kind) && object.spec?.template) {
      const template = object.spec.template;
      template.metadata = template.metadata ?? {};
      template.metadata.labels = { ...template.metadata.labels, ...pairs };
    }
  }
}

function applyReplicas(resources, entry, where) {
  rejectUnknownKeys(entry, ['name', 'count'], where, 'replicas');
  if (!Number.isInteger(entry.count) || entry.count < 0) {
    throw new ManifestError(`${where}: replicas of ${entry.name} must be a whole number`);
  }
  const targets = resources.filter(
    ({ object }) => SCALABLE_KINDS.has(object.kind) && object.metadata.name === entry.name,
  );
  if (targets.length === 0) throw new ManifestError(`${where}: replicas: no workload named ${entry.name}`);
  for (const { object } of targets) object.spec.replicas = entry.count;
}

/** Splits `registry:5000/team/app:1.2@sha256:…` into name, tag and digest. */
export function parseImage(image) {
  const [withTag, digest] = image.split('@');
  const lastSlash = withTag.lastIndexOf('/');
  const colon = withTag.indexOf(':', lastSlash + 1);
  return colon === -1
    ? { name: withTag, tag: undefined, digest }
    : { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
}

function applyImage(resources, entry, where) {
  rejectUnknownKeys(entry, ['name', 'newName', 'newTag', 'digest'], where, 'images');
  if (entry.newTag !== undefined && entry.digest !== undefined) {
    throw new ManifestError(`${where}: image ${entry.name}: give newTag or digest, not both`);
  }
  for (const { object } of resources) {
    for (const container of containersOf(object)) {
      if (typeof container.image !== 'string') continue;
      const image = parseImage(container.image);
      if (image.name !== entry.name) continue;
      const name = entry.newName ?? image.name;
      if (entry.digest !== undefined) container.image = `${name}@${entry.digest}`;
      else if (entry.newTag !== undefined) container.image = `${name}:${entry.newTag}`;
      else
        container.image = `${name}${image.tag ? `:${image.tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
    }
  }
}

function podSpecOf(object) {
  if (object.kind === 'Pod') return object.spec;
  if (object.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template?.spec;
  return object.spec?.template?.spec;
}

function containersOf(object) {
  const spec = podSpecOf(object);
  return spec ? [...(spec.initContainers ?? []), ...(spec.containers ?? [])] : [];
}

/**
 * Gives every generated ConfigMap kustomize's content-hash suffix and points the references to it
 * there, so a changed setting rolls the pods that read it.
 */
function finishGeneratedConfigMaps(resources) {
  const renamed = new Map();
  for (const { object, generated } of resources) {
    if (!generated) continue;
    const name = `${object.metadata.name}-${configMapHash(object)}`;
    renamed.set(`${object.metadata.namespace ?? ''}/${object.metadata.name}`, name);
    object.metadata.name = name;
  }
  const rename = (namespace, reference) => {
    if (reference && typeof reference.name === 'string') {
      reference.name = renamed.get(`${namespace ?? ''}/${reference.name}`) ?? reference.name;
    }
  };
  for (const { object } of resources) {
    const spec = podSpecOf(object);
    if (!spec) continue;
    const namespace = object.metadata.namespace;
    for (const container of containersOf(object)) {
      for (const source of container.envFrom ?? []) rename(namespace, source.configMapRef);
      for (const variable of container.env ?? []) rename(namespace, variable.valueFrom?.configMapKeyRef);
    }
    for (const volume of spec.volumes ?? []) {
      rename(namespace, volume.configMap);
      for (const source of volume.projected?.sources ?? []) rename(namespace, source.configMap);
    }
  }
}

/**
 * kustomize's name suffix: sha256 of the ConfigMap's Go-JSON encoding, first 10 hex digits, re-lettered.
 * kustomize looks the name up as one key called "metadata/name", which never exists, so the name it
 * hashes is always empty; an absent data field hashes as "".
 */
export function configMapHash(configMap) {
  const encoded = goJson({ data: configMap.data ?? '', kind: 'ConfigMap', name: '' });
  const hex = createHash('sha256').update(encoded).digest('hex');
  const letters = { 0: 'g', 1: 'h', 3: 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((digit) => letters[digit] ?? digit).join('');
}

/** JSON as Go's encoding/json writes a map: keys sorted, and <, >, & escaped. */
function goJson(value) {
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${goJson(key)}:${goJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

// ---------------------------------------------------------------------------------------------------
// The cross-check against kubectl

/** The render of `kubectl kustomize dir`, or undefined when kubectl is not installed. */
export function renderWithKubectl(dir) {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error?.code === 'ENOENT') return undefined;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new ManifestError(`kubectl kustomize ${rel(dir)}: ${result.stderr.trim()}`);
  return parseYamlDocuments(result.stdout, `kubectl kustomize ${rel(dir)}`);
}

/** Differences between two renders, as readable lines (empty when equal). */
export function compareRenders(ours, theirs) {
  const index = (objects) => new Map(objects.map((object) => [objectId(object), object]));
  const mine = index(ours);
  const kubectl = index(theirs);
  const differences = [];
  for (const id of mine.keys()) if (!kubectl.has(id)) differences.push(`${id}: only in this script's render`);
  for (const id of kubectl.keys()) if (!mine.has(id)) differences.push(`${id}: only in kubectl's render`);
  for (const [id, object] of mine) {
    if (kubectl.has(id) && !isDeepStrictEqual(object, kubectl.get(id))) {
      differences.push(`${id}: differs at ${firstDifference(object, kubectl.get(id)).join('.') || '(root)'}`);
    }
  }
  return differences;
}

function firstDifference(a, b, path = []) {
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!isDeepStrictEqual(a[key], b[key])) return firstDifference(a[key], b[key], [...path, key]);
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      if (!isDeepStrictEqual(a[i], b[i])) return firstDifference(a[i], b[i], [...path, String(i)]);
    }
  }
  return path;
}

// ---------------------------------------------------------------------------------------------------
// Kubernetes schemas

// Every kind k8s/ may render, with the kubernetes-models module that holds its schema and type.
const KINDS = new Map([
  ['v1/Namespace', 'v1/Namespace'],
  ['v1/ServiceAccount', 'v1/ServiceAccount'],
  ['v1/ConfigMap', 'v1/ConfigMap'],
  ['v1/Service', 'v1/Service'],
  ['apps/v1/Deployment', 'apps/v1/Deployment'],
  ['policy/v1/PodDisruptionBudget', 'policy/v1/PodDisruptionBudget'],
  ['networking.k8s.io/v1/NetworkPolicy', 'networking.k8s.io/v1/NetworkPolicy'],
  ['autoscaling/v2/HorizontalPodAutoscaler', 'autoscaling/v2/HorizontalPodAutoscaler'],
]);

function kindKey(object) {
  return `${object.apiVersion}/${object.kind}`;
}

/**
 * Validates objects against the Kubernetes OpenAPI schemas shipped by kubernetes-models (types,
 * enums, required fields) and, through the same package's TypeScript declarations, refuses fields
 * the API does not know (a misspelt `readinesProbe` would otherwise pass silently).
 * Returns one list of problems per object.
 */
export async function validateSchemas(objects) {
  const results = [];
  for (const object of objects) {
    if (!KINDS.has(kindKey(object))) {
      results.push([
        `no schema registered for ${kindKey(object)}: add it to KINDS in tools/validate-k8s.mjs`,
      ]);
      continue;
    }
    const modulePath = KINDS.get(kindKey(object));
    const module = await import(`kubernetes-models/${modulePath}`);
    const Model = module[object.kind];
    const problems = [];
    try {
      new Model(clone(object)).validate();
    } catch (error) {
      for (const detail of error.errors ?? [{ instancePath: '', message: error.message }]) {
        problems.push(`${pointerToPath(detail.instancePath) || '(root)'}: ${detail.message}`);
      }
    }
    fieldChecker ??= createFieldChecker([...KINDS.keys()]);
    problems.push(...fieldChecker(object), ...checkNames(object));
    results.push(problems);
  }
  return results;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The API server's rules for names and labels, which the OpenAPI schemas do not carry: without this
 * an upper-case name or a 64-character label value would pass here and fail at apply time.
 */
export function checkNames(object) {
  const problems = [];
  const name = object.metadata?.name ?? '';
  const nameRule =
    object.kind === 'Service'
      ? [DNS_1035_LABEL, 63, 'a DNS-1035 label']
      : object.kind === 'Namespace'
        ? [DNS_LABEL, 63, 'a DNS-1123 label']
        : [DNS_SUBDOMAIN, 253, 'a DNS-1123 subdomain'];
  if (!nameRule[0].test(name) || name.length > nameRule[1]) {
    problems.push(`metadata.name: ${JSON.stringify(name)} is not ${nameRule[2]}`);
  }
  const labelSets = [
    ['metadata.labels', object.metadata?.labels],
    ['spec.template.metadata.labels', object.spec?.template?.metadata?.labels],
    ['spec.selector.matchLabels', object.spec?.selector?.matchLabels],
    ...(object.kind === 'Service' ? [['spec.selector', object.spec?.selector]] : []),
  ];
  for (const [path, labels] of labelSets) {
    for (const [key, value] of Object.entries(labels ?? {})) {
      const slash = key.lastIndexOf('/');
      const prefix = slash === -1 ? undefined : key.slice(0, slash);
      const local = key.slice(slash + 1);
      const validPrefix = prefix === undefined || (DNS_SUBDOMAIN.test(prefix) && prefix.length <= 253);
      if (!validPrefix || !QUALIFIED_NAME.test(local) || local.length > 63) {
        problems.push(`${path}: ${JSON.stringify(key)} is not a valid label key`);
      }
      if (typeof value !== 'string' || value.length > 63 || (value !== '' && !QUALIFIED_NAME.test(value))) {
        problems.push(`${path}.${key}: ${JSON.stringify(value)} is not a valid label value`);
      }
    }
  }
  const pod = podSpecOf(object);
  for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
    if (!DNS_LABEL.test(container.name ?? '') || container.name.length > 63) {
      problems.push(`container ${JSON.stringify(container.name)}: name is not a DNS-1123 label`);
    }
    for (const port of container.ports ?? []) {
      if (port.name !== undefined && (!PORT_NAME.test(port.name) || port.name.length > 15)) {
        problems.push(`container ${container.name}: port name ${JSON.stringify(port.name)} is not valid`);
      }
    }
  }
  return problems;
}

function pointerToPath(pointer) {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}

// Compiling the declarations takes a second or so: once per process.
let fieldChecker;

/** Builds a checker of unknown fields from kubernetes-models' TypeScript declarations. */
function createFieldChecker(kindKeys) {
  const entry = join(ROOT, 'tools', '__validate_k8s_kinds__.ts');
  const source = kindKeys
    .map((key, i) => {
      const modulePath = KINDS.get(key);
      const kind = modulePath.split('/').at(-1);
      return `import type { I${kind} as K${i} } from 'kubernetes-models/${modulePath}';\nexport type T${i} = K${i};`;
    })
    .join('\n');
  const options = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (file, languageVersion, ...rest) =>
    resolve(file) === entry
      ? ts.createSourceFile(file, source, languageVersion)
      : getSourceFile(file, languageVersion, ...rest);
  host.fileExists = (file) => resolve(file) === entry || fileExists(file);
  const program = ts.createProgram([entry], options, host);
  const unresolved = ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file && resolve(diagnostic.file.fileName) === entry);
  if (unresolved.length > 0) {
    throw new ManifestError(
      `kubernetes-models types: ${ts.flattenDiagnosticMessageText(unresolved[0].messageText, ' ')}`,
    );
  }
  const checker = program.getTypeChecker();
  const exports = checker.getSymbolAtLocation(program.getSourceFile(entry)).exports;
  const types = new Map(
    kindKeys.map((key, i) => [key, checker.getDeclaredTypeOfSymbol(exports.get(`T${i}`))]),
  );

  const walk = (value, type, path, problems) => {
    type = checker.getNonNullableType(type);
    if (type.isUnion()) {
      const objectTypes = type.types.filter((member) => member.flags & ts.TypeFlags.Object);
      if (objectTypes.length !== 1) return;
      type = objectTypes[0];
    }
    if (Array.isArray(value)) {
      if (!checker.isArrayType(type)) return;
      const [itemType] = checker.getTypeArguments(type);
      value.forEach((item, i) => walk(item, itemType, [...path, String(i)], problems));
      return;
    }
    if (!isPlainObject(value) || !(type.flags & ts.TypeFlags.Object)) return;
    const indexType = type.getStringIndexType();
    for (const [key, child] of Object.entries(value)) {
      const property = type.getProperty(key);
      if (property) walk(child, checker.getTypeOfSymbol(property), [...path, key], problems);
      else if (indexType) walk(child, indexType, [...path, key], problems);
      else problems.push(`${[...path, key].join('.')}: unknown field "${key}"`);
    }
  };
  return (object) => {
    const problems = [];
    walk(object, types.get(kindKey(object)), [], problems);
    return problems;
  };
}

// ---------------------------------------------------------------------------------------------------
// Fleet's deployment rules (what k8s/README.md promises about every render)

const SECRET_SETTINGS = ['DATABASE_URL', 'FLEET_API_KEYS'];

function selects(selector, labels) {
  return (
    isPlainObject(selector) &&
    Object.keys(selector).length > 0 &&
    Object.entries(selector).every(([key, value]) => labels?.[key] === value)
  );
}

/**
 * Problems with a whole render, keyed by object id ('' for the render as a whole).
 * `isOverlay` adds what only a deployable render must have (namespace, pinned images).
 */
export function checkFleetRules(objects, { isOverlay }) {
  const problems = new Map();
  const report = (object, message) => {
    const id = object ? objectId(object) : '';
    problems.set(id, [...(problems.get(id) ?? []), message]);
  };
  const byKind = (kind) => objects.filter((object) => object.kind === kind);
  const configMaps = new Set(byKind('ConfigMap').map((object) => object.metadata.name));
  const serviceAccounts = new Set(byKind('ServiceAccount').map((object) => object.metadata.name));

  for (const secret of byKind('Secret')) {
    report(
      secret,
      'a Secret is rendered: secret values are never committed; the facility creates fleet-secrets',
    );
  }

  for (const deployment of byKind('Deployment')) {
    const template = deployment.spec?.template ?? {};
    const pod = template.spec ?? {};
    const podLabels = template.metadata?.labels ?? {};
    const name = deployment.metadata.name;
    if (!selects(deployment.spec?.selector?.matchLabels, podLabels)) {
      report(deployment, 'spec.selector.matchLabels must select the pod template labels');
    }
    if (!((deployment.spec?.replicas ?? 1) >= 2)) {
      report(deployment, 'at least 2 replicas (the PodDisruptionBudget keeps 1 through a drain)');
    }
    if (!((pod.terminationGracePeriodSeconds ?? 30) >= 30)) {
      report(deployment, 'terminationGracePeriodSeconds below 30 cuts the graceful shutdown short');
    }
    if (pod.securityContext?.runAsNonRoot !== true)
      report(deployment, 'pod securityContext.runAsNonRoot: true');
    if (!serviceAccounts.has(pod.serviceAccountName)) {
      report(
        deployment,
        `serviceAccountName ${pod.serviceAccountName} is not a ServiceAccount of this render`,
      );
    }
    if (!(pod.topologySpreadConstraints?.length > 0)) report(deployment, 'topologySpreadConstraints missing');
    const emptyDirs = new Set(
      (pod.volumes ?? []).filter((volume) => volume.emptyDir).map((volume) => volume.name),
    );
    for (const container of pod.containers ?? []) {
      const where = `container ${container.name}`;
      for (const [probe, path] of [
        ['startupProbe', undefined],
        ['livenessProbe', '/health/live'],
        ['readinessProbe', '/health/ready'],
      ]) {
        if (!container[probe]) report(deployment, `${where}: ${probe} missing`);
        else if (path && container[probe].httpGet?.path !== path) {
          report(deployment, `${where}: ${probe} must GET ${path}`);
        }
      }
      for (const bound of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          if (container.resources?.[bound]?.[resource] === undefined) {
            report(deployment, `${where}: resources.${bound}.${resource} missing`);
          }
        }
      }
      const security = container.securityContext ?? {};
      if (security.readOnlyRootFilesystem !== true)
        report(deployment, `${where}: readOnlyRootFilesystem: true`);
      if (security.allowPrivilegeEscalation !== false) {
        report(deployment, `${where}: allowPrivilegeEscalation: false`);
      }
      if (!security.capabilities?.drop?.includes('ALL'))
        report(deployment, `${where}: capabilities.drop [ALL]`);
      const tmp = (container.volumeMounts ?? []).find((mount) => mount.mountPath === '/tmp');
      if (!tmp || !emptyDirs.has(tmp.name)) report(deployment, `${where}: /tmp must be an emptyDir mount`);
      if (!(container.ports ?? []).some((port) => port.name === 'http')) {
        report(deployment, `${where}: needs a container port named http`);
      }
      for (const variable of container.env ?? []) {
        if (SECRET_SETTINGS.includes(variable.name) && !variable.valueFrom?.secretKeyRef) {
          report(
            deployment,
            `${where}: ${variable.name} must come from a Secret (secretKeyRef), not a value`,
          );
        }
      }
      for (const setting of SECRET_SETTINGS) {
        if (!(container.env ?? []).some((variable) => variable.name === setting)) {
          report(deployment, `${where}: ${setting} missing (from the Secret)`);
        }
      }
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef && !configMaps.has(source.configMapRef.name)) {
          report(deployment, `${where}: envFrom ConfigMap ${source.configMapRef.name} is not in this render`);
        }
      }
      if (isOverlay) {
        const { tag, digest } = parseImage(container.image ?? '');
        if (!digest && (!tag || tag === 'latest')) {
          report(deployment, `${where}: image ${container.image} must be pinned to a tag or digest`);
        }
      }
    }
    const services = byKind('Service').filter((service) => selects(service.spec?.selector, podLabels));
    if (services.length === 0) report(deployment, `no Service selects ${name}'s pods`);
    for (const service of services) {
      if (!(service.spec.ports ?? []).some((port) => port.name === 'http' && port.targetPort === 'http')) {
        report(service, 'needs a port named http with targetPort http');
      }
    }
    const budgets = byKind('PodDisruptionBudget').filter((budget) =>
      selects(budget.spec?.selector?.matchLabels, podLabels),
    );
    if (budgets.length === 0) report(deployment, `no PodDisruptionBudget covers ${name}`);
  }

  for (const configMap of byKind('ConfigMap').filter((object) => object.data?.NATS_URL !== undefined)) {
    const { NATS_URL: natsUrl, NATS_STREAM_REPLICAS: replicas } = configMap.data;
    if (!/^(nats|tls):\/\/\S+$/.test(natsUrl)) report(configMap, `NATS_URL ${natsUrl} is not a nats:// URL`);
    if (!['1', '3', '5'].includes(replicas)) report(configMap, 'NATS_STREAM_REPLICAS must be 1, 3 or 5');
  }

  if (isOverlay) {
    for (const object of objects) {
      if (!CLUSTER_SCOPED_KINDS.has(object.kind) && !object.metadata.namespace) {
        report(object, 'no namespace: an overlay sets one');
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Services and docker/compose.yaml

/** Every deployable service: an app under apps/ built by webpack into dist/apps/<name>/main.js. */
export function listServices(root = ROOT) {
  const apps = join(root, 'apps');
  return readdirSync(apps)
    .filter((name) => existsSync(join(apps, name, 'webpack.config.cjs')))
    .sort();
}

/** Problems with docker/compose.yaml, and one line per service it runs. */
export function checkCompose(file, services) {
  const problems = [];
  const lines = [];
  let compose;
  try {
    // Compose reads YAML 1.2 and honours merge keys (<<: *anchor).
    [compose] = readYamlDocuments(file, { uniqueKeys: true, merge: true });
  } catch (error) {
    return { problems: [error.message], lines };
  }
  const defined = compose?.services ?? {};
  const volumes = compose?.volumes ?? {};
  for (const infrastructure of ['nats', 'postgres']) {
    if (!defined[infrastructure]) problems.push(`service ${infrastructure} missing`);
  }
  const natsCommand = (defined.nats?.command ?? []).join(' ');
  if (defined.nats && !/(^|\s)(-js|--jetstream)(\s|$)/.test(natsCommand)) {
    problems.push('service nats: JetStream is not enabled (-js)');
  }
  for (const [name, service] of Object.entries(defined)) {
    for (const [dependency, condition] of Object.entries(service.depends_on ?? {})) {
      if (!defined[dependency]) problems.push(`service ${name}: depends on unknown service ${dependency}`);
      if (condition?.condition === 'service_healthy' && !defined[dependency]?.healthcheck) {
        problems.push(`service ${name}: waits for ${dependency} to be healthy, which has no healthcheck`);
      }
    }
    for (const mount of service.volumes ?? []) {
      const volume = typeof mount === 'string' ? mount.split(':')[0] : mount.source;
      if (volume && !/^[./~]/.test(volume) && !(volume in volumes)) {
        problems.push(`service ${name}: volume ${volume} is not declared under volumes`);
      }
    }
    if (!service.healthcheck) problems.push(`service ${name}: no healthcheck`);
  }
  for (const name of services) {
    const service = defined[name];
    if (!service) {
      problems.push(`service ${name} missing (every app under apps/ runs in compose)`);
      continue;
    }
    const environment = service.environment ?? {};
    if (Array.isArray(environment)) {
      problems.push(`service ${name}: environment must be a mapping`);
      continue;
    }
    if (service.build?.dockerfile !== 'docker/Dockerfile' || service.build?.args?.APP !== name) {
      problems.push(`service ${name}: build docker/Dockerfile with args.APP ${name}`);
    }
    if (String(service.build?.args?.PORT) !== String(environment.PORT)) {
      problems.push(`service ${name}: build args.PORT and environment PORT differ`);
    }
    for (const setting of ['PORT', 'NATS_URL', 'DATABASE_URL', 'FLEET_API_KEYS']) {
      if (environment[setting] === undefined)
        problems.push(`service ${name}: environment ${setting} missing`);
    }
    for (const dependency of ['nats', 'postgres']) {
      if (service.depends_on?.[dependency]?.condition !== 'service_healthy') {
        problems.push(`service ${name}: depends_on ${dependency} with condition service_healthy`);
      }
    }
    lines.push(`service ${name} (APP=${service.build?.args?.APP}, PORT=${environment.PORT})`);
  }
  return { problems, lines };
}

// ---------------------------------------------------------------------------------------------------
// The command

/** k8s/base and every overlay, relative to the root. */
export function listKustomizations(root = ROOT) {
  const overlays = join(root, 'k8s', 'overlays');
  const names = existsSync(overlays)
    ? readdirSync(overlays).filter((name) => statSync(join(overlays, name)).isDirectory())
    : [];
  return [join('k8s', 'base'), ...names.sort().map((name) => join('k8s', 'overlays', name))];
}

/** Runs every check; returns the number of problems after printing them. */
export async function validateAll({ root = ROOT, useKubectl = true, log = console.log } = {}) {
  let failures = 0;
  const fail = (message) => {
    failures++;
    log(`FAIL  ${message}`);
  };
  const services = listServices(root);
  const compose = checkCompose(join(root, 'docker', 'compose.yaml'), services);
  for (const line of compose.lines) log(`ok    docker/compose.yaml  ${line}`);
  for (const problem of compose.problems) fail(`docker/compose.yaml: ${problem}`);

  let kubectlMissing = false;
  let kubectlDifferences = 0;
  for (const kustomization of listKustomizations(root)) {
    const dir = join(root, kustomization);
    const isOverlay = kustomization !== join('k8s', 'base');
    let objects;
    try {
      objects = renderKustomization(dir);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      fail(error.message);
      continue;
    }
    if (useKubectl && !kubectlMissing) {
      const theirs = renderWithKubectl(dir);
      if (theirs === undefined) kubectlMissing = true;
      else {
        for (const difference of compareRenders(objects, theirs)) {
          kubectlDifferences++;
          fail(`${kustomization}: kubectl kustomize renders differently: ${difference}`);
        }
      }
    }
    const schemaProblems = await validateSchemas(objects);
    const ruleProblems = checkFleetRules(objects, { isOverlay });
    for (const problem of ruleProblems.get('') ?? []) fail(`${kustomization}: ${problem}`);
    const deployments = new Set(
      objects.filter((object) => object.kind === 'Deployment').map((object) => object.metadata.name),
    );
    for (const service of services) {
      if (!deployments.has(service)) fail(`${kustomization}: no Deployment for service ${service}`);
    }
    for (const deployment of deployments) {
      if (!services.includes(deployment))
        fail(`${kustomization}: Deployment ${deployment} is not an app under apps/`);
    }
    objects.forEach((object, i) => {
      const problems = [...schemaProblems[i], ...(ruleProblems.get(objectId(object)) ?? [])];
      if (problems.length === 0) log(`ok    ${kustomization}  ${objectId(object)}`);
      for (const problem of problems) fail(`${kustomization}  ${objectId(object)}: ${problem}`);
    });
  }
  if (useKubectl && kubectlMissing) {
    log('note  kubectl not installed: renders not cross-checked against kubectl kustomize');
  } else if (useKubectl && kubectlDifferences === 0) {
    log('ok    every render equals kubectl kustomize');
  }
  return failures;
}

async function main(argv) {
  const printAt = argv.indexOf('--print');
  if (printAt !== -1) {
    if (!argv[printAt + 1]) throw new ManifestError('--print needs a kustomization directory');
    const objects = renderKustomization(resolve(argv[printAt + 1]));
    process.stdout.write(objects.map((object) => YAML.stringify(object)).join('---\n'));
    return 0;
  }
  const failures = await validateAll({ useKubectl: !argv.includes('--no-kubectl') });
  console.log(failures === 0 ? 'k8s:validate: all valid' : `k8s:validate: ${failures} problem(s)`);
  return failures === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof ManifestError ? `k8s:validate: ${error.message}` : error);
      process.exit(1);
    },
  );
}
