// The manifest validator of the export tests refuses what the API server refuses: a wrong type, a
// missing required field, a field the API does not know (at any depth), hooks and probes on an init
// container that runs to completion, and accepts a valid one.
import { describe, expect, test } from 'vitest';
import { validateManifest } from './k8s-schema.js';

const deployment = (container: Record<string, unknown>, pod: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'app', labels: { 'app.kubernetes.io/name': 'app' } },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', ...container }], ...pod } } },
});

describe('validateManifest', () => {
  test('accepts a valid manifest, with native sidecars, probes and a stop signal', () => {
    expect(() =>
      validateManifest(
        deployment(
          { startupProbe: { tcpSocket: { port: 5432 }, failureThreshold: 3 }, lifecycle: { stopSignal: 'SIGINT', preStop: { exec: { command: ['x'] } } }, securityContext: { runAsUser: 1 } },
          { initContainers: [{ name: 's', image: 'i', restartPolicy: 'Always' }], os: { name: 'linux' } },
        ),
      ),
    ).not.toThrow();
    expect(() => validateManifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'env' }, data: { ANY_KEY: 'v' } })).not.toThrow();
  });

  test.each([
    ['an unknown field of a container', deployment({ startupprobe: {} }), /unknown fields .*Deployment\.spec\.template\.spec\.containers\[0\]\.startupprobe/],
    ['an unknown field deep in a probe', deployment({ livenessProbe: { tcpSocket: { port: 1, hostname: 'x' } } }), /containers\[0\]\.livenessProbe\.tcpSocket\.hostname/],
    ['an unknown field of the pod', deployment({}, { gracePeriod: 3 }), /spec\.template\.spec\.gracePeriod/],
    ['a wrong type', deployment({ securityContext: { runAsUser: 'postgres' } }), /runAsUser must be integer/],
    ['a missing required field', deployment({ lifecycle: { preStop: { exec: {} }, postStart: { httpGet: {} } } }), /postStart\/httpGet must have required property port/],
    ['an unknown kind', { apiVersion: 'v1', kind: 'Pod' }, /no schema for kind Pod/],
    ['a hook on an init container that runs to completion', deployment({}, { initContainers: [{ name: 'pre', image: 'i', lifecycle: { stopSignal: 'SIGINT' } }] }), /initContainers pre: lifecycle may not be set/],
    ['two containers of one name', deployment({}, { initContainers: [{ name: 'c', image: 'i' }] }), /containers: Duplicate value: "c"/],
    ['a probe on an init container that runs to completion', deployment({}, { initContainers: [{ name: 'pre', image: 'i', livenessProbe: { tcpSocket: { port: 1 } } }] }), /initContainers pre: livenessProbe may not be set/],
  ])('refuses %s', (_what, manifest, error) => {
    expect(() => validateManifest(manifest)).toThrow(error);
  });
});
