// Validation of exported manifests as `kubectl apply` (strict field validation) and the API server do it:
// the types and required fields by the Kubernetes OpenAPI schemas (kubernetes-models' validators), the
// pod rules on init containers and container names, and no field the API does not know, found by walking the manifest along kubernetes-models' own type declarations
// (the schemas' validators accept unknown fields, which the API server would refuse).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { ConfigMap } from 'kubernetes-models/v1';

const MODELS = { Deployment, Job, CronJob, ConfigMap } as const;
/** Each kind's declaration module and interface in kubernetes-models. */
const DECLARATIONS: Readonly<Record<keyof typeof MODELS, readonly [string, string]>> = {
  Deployment: ['apps/v1/Deployment', 'IDeployment'],
  Job: ['batch/v1/Job', 'IJob'],
  CronJob: ['batch/v1/CronJob', 'ICronJob'],
  ConfigMap: ['v1/ConfigMap', 'IConfigMap'],
};

/** One program over a virtual file that names the four interfaces. */
function declarations(): { checker: ts.TypeChecker; roots: Map<string, ts.Type> } {
  const root = dirname(createRequire(import.meta.url).resolve('kubernetes-models/package.json'));
  const entry = join(import.meta.dirname, '__manifest-kinds__.ts');
  const text = Object.entries(DECLARATIONS)
    .map(([kind, [module, name]]) => `import type { ${name} } from ${JSON.stringify(join(root, `${module}.d.ts`).replace(/\.d\.ts$/, ''))};\nexport type ${kind} = ${name};`)
    .join('\n');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ['lib.es2022.d.ts'], module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => (name === entry ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === entry || fileExists(name);
  const program = ts.createProgram([entry], options, host);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry)!;
  const module = checker.getSymbolAtLocation(source)!;
  const roots = new Map(checker.getExportsOfModule(module).map((s) => [s.name, checker.getDeclaredTypeOfSymbol(s)]));
  return { checker, roots };
}

// Built as the module loads (a second or more on a loaded machine), not inside the first test's time limit.
const { checker, roots } = declarations();

/** Fields of `value` that `type` does not declare, as JSON paths. */
function unknownFields(checker: ts.TypeChecker, value: unknown, type: ts.Type, path: string): string[] {
  if (value === null || typeof value !== 'object') return [];
  const t = checker.getNonNullableType(type);
  if (Array.isArray(value)) {
    const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
    return element === undefined ? [] : value.flatMap((v, i) => unknownFields(checker, v, element, `${path}[${i}]`));
  }
  const byIndex = checker.getIndexTypeOfType(t, ts.IndexKind.String);
  return Object.entries(value).flatMap(([key, v]) => {
    const property = checker.getPropertyOfType(t, key);
    if (property !== undefined) return unknownFields(checker, v, checker.getTypeOfSymbol(property), `${path}.${key}`);
    if (byIndex !== undefined) return unknownFields(checker, v, byIndex, `${path}.${key}`);
    return [`${path}.${key}`];
  });
}

interface PodLike {
  readonly initContainers?: readonly (Record<string, unknown> & { name: string; restartPolicy?: string })[];
  readonly containers?: readonly { name: string }[];
}

/** The pods of a Deployment, Job or CronJob. */
function podsOf(manifest: object): PodLike[] {
  const m = manifest as { kind?: string; spec?: { template?: { spec?: PodLike }; jobTemplate?: { spec?: { template?: { spec?: PodLike } } } } };
  const pod = m.kind === 'CronJob' ? m.spec?.jobTemplate?.spec?.template?.spec : m.spec?.template?.spec;
  return pod === undefined ? [] : [pod];
}

/**
 * The API server's rules beyond the schemas (Kubernetes' pod validation): an init container that runs to
 * completion (no restartPolicy: Always) may have no lifecycle and no probes, and no two containers of a
 * pod share a name.
 */
function podErrors(manifest: object): string[] {
  return podsOf(manifest).flatMap((pod) => {
    const names = [...(pod.initContainers ?? []), ...(pod.containers ?? [])].map((c) => c.name);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i).map((n) => `containers: Duplicate value: "${n}"`);
    const hooks = (pod.initContainers ?? []).flatMap((c) =>
      c.restartPolicy === 'Always' ? [] : ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'].filter((f) => c[f] !== undefined).map((f) => `initContainers ${c.name}: ${f} may not be set for init containers without restartPolicy=Always`),
    );
    return [...repeated, ...hooks];
  });
}

/** Throws unless `manifest` is a valid object of its kind with no unknown field. */
export function validateManifest(manifest: object): void {
  const kind = (manifest as { kind?: unknown }).kind as keyof typeof MODELS;
  const Model = MODELS[kind];
  if (Model === undefined) throw new Error(`no schema for kind ${String(kind)}`);
  new Model(manifest as never).validate();
  const unknown = unknownFields(checker, manifest, roots.get(kind)!, kind);
  if (unknown.length > 0) throw new Error(`unknown fields (kubectl apply refuses them): ${unknown.join(', ')}`);
  const forbidden = podErrors(manifest);
  if (forbidden.length > 0) throw new Error(forbidden.join('; '));
}
