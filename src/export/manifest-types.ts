// The parts of the Kubernetes API objects the exporter writes (core/v1, apps/v1, batch/v1), as plain data.

export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

export interface K8sProbe {
  readonly httpGet?: { path: string; port: number; scheme: 'HTTP' | 'HTTPS'; host?: string; httpHeaders?: { name: string; value: string }[] };
  readonly tcpSocket?: { port: number; host?: string };
  readonly exec?: { command: string[] };
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly initialDelaySeconds?: number;
  readonly failureThreshold: number;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command: string[];
  readonly args?: string[];
  readonly env?: EnvVar[];
  readonly envFrom?: { configMapRef: { name: string; optional?: boolean } }[];
  readonly workingDir?: string;
  readonly securityContext?: { runAsUser?: number; runAsGroup?: number };
  readonly lifecycle?: { postStart?: { exec: { command: string[] } }; preStop?: { exec: { command: string[] } }; stopSignal?: string };
  readonly startupProbe?: K8sProbe;
  readonly livenessProbe?: K8sProbe;
  readonly readinessProbe?: K8sProbe;
  /** Only "Always", only on init containers: a native sidecar. */
  readonly restartPolicy?: 'Always';
}

export interface PodSpec {
  readonly initContainers?: Container[];
  readonly containers: Container[];
  readonly restartPolicy: 'Always' | 'OnFailure' | 'Never';
  readonly terminationGracePeriodSeconds?: number;
  /** Required by lifecycle.stopSignal. */
  readonly os?: { name: 'linux' };
}

export interface Metadata {
  readonly name: string;
  readonly labels?: Record<string, string>;
}

export type Manifest =
  | { apiVersion: 'v1'; kind: 'ConfigMap'; metadata: Metadata; data: Record<string, string> }
  | { apiVersion: 'apps/v1'; kind: 'Deployment'; metadata: Metadata; spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } }
  | { apiVersion: 'batch/v1'; kind: 'Job'; metadata: Metadata; spec: { backoffLimit: number; template: { spec: PodSpec } } }
  | { apiVersion: 'batch/v1'; kind: 'CronJob'; metadata: Metadata; spec: { schedule: string; timeZone?: string; concurrencyPolicy: 'Forbid'; jobTemplate: { spec: { backoffLimit: number; template: { spec: PodSpec } } } } };
