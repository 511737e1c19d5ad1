// [X-Readiness] and [X-HealthCheck]: parsed into Probes with their defaults; every mistake is a
// file:line warning and the rest of the unit loads; systemd itself loads the same file without a word.
import { describe, expect, test } from 'vitest';
import { systemdTool, systemdVerify } from '../../helpers/systemd.js';
import { load } from './helpers.js';

const unit = (...lines: string[]) => load(['[Service]', 'ExecStart=/bin/sleep 30', ...lines].join('\n'));

describe('probe sections', () => {
  test('each probe kind with its settings; defaults as documented', () => {
    const { config, messages } = unit(
      '[X-Readiness]',
      'HttpGet=http://127.0.0.1:8080/health',
      'HttpHeader=Authorization: Bearer x',
      'IntervalSec=200ms',
      '[X-HealthCheck]',
      'TcpConnect=[::1]:5432',
      'Threshold=5',
      'TimeoutSec=2s',
      'InitialDelaySec=1min',
    );
    expect(messages).toEqual([]);
    expect(config.service?.readiness).toEqual({
      check: { kind: 'http-get', url: 'http://127.0.0.1:8080/health', headers: [['Authorization', 'Bearer x']] },
      intervalUsec: 200_000,
      timeoutUsec: 1_000_000,
      initialDelayUsec: 0,
      threshold: 0,
    });
    expect(config.service?.healthCheck).toEqual({
      check: { kind: 'tcp-connect', host: '::1', port: 5432 },
      intervalUsec: 10_000_000,
      timeoutUsec: 2_000_000,
      initialDelayUsec: 60_000_000,
      threshold: 5,
    });
  });

  test('TcpConnect= accepts HOST:PORT and a bare PORT (loopback); LogLine= and Exec=', () => {
    expect(unit('[X-Readiness]', 'TcpConnect=db.internal:6379').config.service?.readiness?.check).toEqual({ kind: 'tcp-connect', host: 'db.internal', port: 6379 });
    expect(unit('[X-Readiness]', 'TcpConnect=6379').config.service?.readiness?.check).toEqual({ kind: 'tcp-connect', host: '127.0.0.1', port: 6379 });
    expect(unit('[X-Readiness]', 'LogLine=listening on \\d+').config.service?.readiness?.check).toEqual({ kind: 'log-line', pattern: 'listening on \\d+' });
    const exec = unit('[X-HealthCheck]', 'Exec=/usr/bin/pg_isready -q -h %H').config.service?.healthCheck?.check;
    expect(exec).toMatchObject({ kind: 'exec', command: { path: '/usr/bin/pg_isready', argv: ['/usr/bin/pg_isready', '-q', '-h', 'box.example.org'] } });
  });

  test('mistakes are file:line warnings and leave the rest of the unit loaded', () => {
    const { config, messages } = unit(
      '[X-Readiness]',
      'HttpGet=ftp://x/',
      'TcpConnect=localhost:99999',
      'LogLine=([',
      'IntervalSec=soon',
      '[X-HealthCheck]',
      'LogLine=ready',
      'HttpGet=http://127.0.0.1:1/',
      'TcpConnect=127.0.0.1:2',
      'HttpHeader=no colon here',
      'Threshold=-1',
    );
    expect(messages).toEqual([
      "/u/a.service:4: Unsupported URL scheme 'ftp' (http or https expected), ignoring: ftp://x/",
      '/u/a.service:5: Invalid address, expected HOST:PORT, ignoring: localhost:99999',
      expect.stringMatching(/^\/u\/a\.service:6: Invalid regular expression, ignoring: \(\[: /),
      '/u/a.service:7: Failed to parse interval, ignoring: soon',
      "/u/a.service:9: Unknown key 'LogLine' in section [X-HealthCheck], ignoring.",
      '/u/a.service:11: HttpGet= is already set in [X-HealthCheck] (one probe per section), ignoring TcpConnect=.',
      '/u/a.service:12: Invalid HTTP header, expected "Name: value", ignoring: no colon here',
      '/u/a.service:13: Failed to parse unsigned value, ignoring: -1',
      '/u/a.service:4: [X-Readiness] has no probe (HttpGet=, TcpConnect=, LogLine=, Exec=), ignoring section.',
    ]);
    expect(config.service?.readiness).toBeUndefined();
    expect(config.service?.healthCheck?.check).toEqual({ kind: 'http-get', url: 'http://127.0.0.1:1/', headers: [] });
    expect(config.service?.execStart).toHaveLength(1);
  });

  test('a drop-in replaces the probe after an empty assignment', () => {
    const { config, messages } = load('[Service]\nExecStart=/bin/sleep 30\n[X-Readiness]\nHttpGet=http://127.0.0.1:1/\n', 'a.service', ['[X-Readiness]\nHttpGet=\nTcpConnect=7000\n']);
    expect(messages).toEqual([]);
    expect(config.service?.readiness?.check).toEqual({ kind: 'tcp-connect', host: '127.0.0.1', port: 7000 });
  });

  test('readiness only holds back types that do not signal readiness themselves', () => {
    const { config, messages } = load('[Service]\nType=notify\nExecStart=/bin/sleep 30\n[X-Readiness]\nTcpConnect=7000\n');
    expect(messages).toEqual(['/u/a.service:5: [X-Readiness] applies to Type=simple, exec and idle only (Type=notify signals readiness itself), ignoring section.']);
    expect(config.service?.readiness).toBeUndefined();
  });

  test.skipIf(!systemdTool('systemd-analyze'))('systemd 252 loads a unit with both sections without a word about them', () => {
    const text = '[Service]\nExecStart=/bin/sleep 30\n[X-Readiness]\nHttpGet=http://127.0.0.1:8080/\n[X-HealthCheck]\nTcpConnect=8080\nThreshold=2\n';
    expect(systemdVerify('web.service', text)).toEqual([]);
  });
});
