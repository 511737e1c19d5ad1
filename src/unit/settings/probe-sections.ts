// [X-Readiness] and [X-HealthCheck]: unitvisor's probe sections. systemd skips sections named X-…,
// so a unit file that uses them still loads unchanged under systemd.
import type { Diagnostic } from '../diagnostic.js';
import { warning } from '../diagnostic.js';
import type { Probe, ProbeCheck, ServiceType } from '../model.js';
import type { ParseContext, SettingRow, SettingsTable, ValueParser } from './define-settings.js';
import { defineSettings } from './define-settings.js';
import type { ProbeDraft, ProbeSection, UnitDraft } from './unit-draft.js';
import { execLine } from './service-section.js';
import { time, unsigned } from './value-parsers.js';

export const READINESS_SECTION = 'X-Readiness';
export const HEALTH_CHECK_SECTION = 'X-HealthCheck';

/** Defaults: a readiness probe polls fast and waits for TimeoutStartSec=; a health check acts after 3 failures (as Kubernetes' probes). */
const DEFAULTS: Readonly<Record<ProbeSection, Omit<Probe, 'check'>>> = {
  readiness: { intervalUsec: 500_000, timeoutUsec: 1_000_000, initialDelayUsec: 0, threshold: 0 },
  healthCheck: { intervalUsec: 10_000_000, timeoutUsec: 1_000_000, initialDelayUsec: 0, threshold: 3 },
};

/** Types whose start completes at fork (or exec): the only ones a readiness probe can hold back. */
const GATEABLE: readonly ServiceType[] = ['simple', 'exec', 'idle'];

const httpUrl: ValueParser<string> = (value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.warn(`Invalid URL, ignoring: ${value}`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.warn(`Unsupported URL scheme '${url.protocol.slice(0, -1)}' (http or https expected), ignoring: ${value}`);
    return undefined;
  }
  return url.href;
};

/** HOST:PORT, [IPv6]:PORT, or a bare PORT on the loopback address. */
export const hostPort: ValueParser<{ host: string; port: number }> = (value, ctx) => {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]:|([^:\s[\]]+):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port < 1 || port > 65535) {
    ctx.warn(`Invalid address, expected HOST:PORT, ignoring: ${value}`);
    return undefined;
  }
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
};

const header: ValueParser<readonly [string, string]> = (value, ctx) => {
  const colon = value.indexOf(':');
  const name = colon > 0 ? value.slice(0, colon).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    ctx.warn(`Invalid HTTP header, expected "Name: value", ignoring: ${value}`);
    return undefined;
  }
  return [name, value.slice(colon + 1).trim()];
};

const regex: ValueParser<string> = (value, ctx) => {
  try {
    new RegExp(value);
    return value;
  } catch (e) {
    ctx.warn(`Invalid regular expression, ignoring: ${value}: ${(e as Error).message}`);
    return undefined;
  }
};

const positive: ValueParser<number> = (value, ctx) => unsigned(value, ctx);

/** One probe kind per section; an empty assignment clears it, so a drop-in can replace the probe. */
function checkRow<T>(section: ProbeSection, parse: ValueParser<T>, build: (v: T) => ProbeCheck): SettingRow {
  return {
    specifiers: true,
    apply(draft, value, ctx) {
      const probe = probeOf(draft, section, ctx);
      if (value.trim() === '') {
        probe.check = undefined;
        return;
      }
      const parsed = parse(value, ctx);
      if (parsed === undefined) return;
      const check = build(parsed);
      if (probe.check !== undefined && probe.check.kind !== check.kind) {
        ctx.warn(`${keyOf(probe.check)} is already set in [${ctx.section}] (one probe per section), ignoring ${ctx.key}=.`);
        return;
      }
      probe.check = check;
    },
  };
}

function fieldRow<K extends 'intervalUsec' | 'timeoutUsec' | 'initialDelayUsec' | 'threshold'>(section: ProbeSection, field: K, parse: ValueParser<number>): SettingRow {
  return {
    specifiers: false,
    apply(draft, value, ctx) {
      const probe = probeOf(draft, section, ctx);
      if (value.trim() === '') {
        probe[field] = undefined;
        return;
      }
      const parsed = parse(value, ctx);
      if (parsed !== undefined) probe[field] = parsed;
    },
  };
}

function probeOf(draft: UnitDraft, section: ProbeSection, ctx: ParseContext): ProbeDraft {
  const probe = draft.probes[section];
  probe.at ??= { file: ctx.file, line: ctx.line };
  return probe;
}

const KEY_OF: Readonly<Record<ProbeCheck['kind'], string>> = { 'http-get': 'HttpGet=', 'tcp-connect': 'TcpConnect=', 'log-line': 'LogLine=', exec: 'Exec=' };
const keyOf = (check: ProbeCheck): string => KEY_OF[check.kind];

function probeTable(name: string, section: ProbeSection): SettingsTable {
  const rows: Record<string, SettingRow> = {
    HttpGet: checkRow(section, httpUrl, (url) => ({ kind: 'http-get', url, headers: [] })),
    HttpHeader: {
      specifiers: true,
      apply(draft, value, ctx) {
        const probe = probeOf(draft, section, ctx);
        if (value.trim() === '') probe.headers = [];
        else {
          const h = header(value, ctx);
          if (h !== undefined) probe.headers.push(h);
        }
      },
    },
    TcpConnect: checkRow(section, hostPort, (a) => ({ kind: 'tcp-connect', host: a.host, port: a.port })),
    Exec: checkRow(section, oneCommand, (command) => ({ kind: 'exec', command })),
    IntervalSec: fieldRow(section, 'intervalUsec', time({ what: 'interval' })),
    TimeoutSec: fieldRow(section, 'timeoutUsec', time({ what: 'timeout' })),
    InitialDelaySec: fieldRow(section, 'initialDelayUsec', time({ what: 'initial delay' })),
    Threshold: fieldRow(section, 'threshold', positive),
  };
  // A log line can say "ready"; whether a service stays healthy it cannot.
  if (section === 'readiness') rows['LogLine'] = checkRow(section, regex, (pattern) => ({ kind: 'log-line', pattern }));
  return defineSettings(name, rows);
}

/** Exec=: exactly one command line. */
const oneCommand: ValueParser<NonNullable<ReturnType<typeof execLine>>[number]> = (value, ctx) => {
  const commands = execLine(value, ctx);
  if (commands === undefined || commands.length === 0) return undefined;
  if (commands.length > 1) ctx.warn(`Exec= takes one command, ignoring all but the first: ${value}`);
  return commands[0];
};

export const readinessSettings = probeTable(READINESS_SECTION, 'readiness');
export const healthCheckSettings = probeTable(HEALTH_CHECK_SECTION, 'healthCheck');

/** The sections' drafts as Probes on the service, with a diagnostic where a section cannot work. */
export function finalizeProbes(draft: UnitDraft): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const section of ['readiness', 'healthCheck'] as const) {
    const d = draft.probes[section];
    if (d.at === undefined) continue;
    const name = section === 'readiness' ? READINESS_SECTION : HEALTH_CHECK_SECTION;
    if (d.check === undefined) {
      diagnostics.push(warning(d.at.file, d.at.line, `[${name}] has no probe (HttpGet=, TcpConnect=, ${section === 'readiness' ? 'LogLine=, ' : ''}Exec=), ignoring section.`));
      continue;
    }
    if (section === 'readiness' && !GATEABLE.includes(draft.service.type)) {
      diagnostics.push(warning(d.at.file, d.at.line, `[${name}] applies to Type=simple, exec and idle only (Type=${draft.service.type} signals readiness itself), ignoring section.`));
      continue;
    }
    const base = DEFAULTS[section];
    const check = d.check.kind === 'http-get' ? { ...d.check, headers: [...d.headers] } : d.check;
    draft.service[section] = {
      check,
      intervalUsec: d.intervalUsec ?? base.intervalUsec,
      timeoutUsec: d.timeoutUsec ?? base.timeoutUsec,
      initialDelayUsec: d.initialDelayUsec ?? base.initialDelayUsec,
      threshold: d.threshold ?? base.threshold,
    };
  }
  return diagnostics;
}

/** How `show` and the exporters name a probe: "HttpGet=http://127.0.0.1:8080/health". */
export function describeProbe(check: ProbeCheck): string {
  switch (check.kind) {
    case 'http-get':
      return `HttpGet=${check.url}`;
    case 'tcp-connect':
      return `TcpConnect=${check.host.includes(':') ? `[${check.host}]` : check.host}:${check.port}`;
    case 'log-line':
      return `LogLine=${check.pattern}`;
    case 'exec':
      return `Exec=${[check.command.path, ...check.command.argv.slice(1)].join(' ')}`;
  }
}
