// Limit*=, Nice=, OOMScoreAdjust=, IOScheduling*=, CPUScheduling*=, NoNewPrivileges=, CapabilityBoundingSet=,
// AmbientCapabilities=, SecureBits=, KeyringMode=, IgnoreSIGPIPE=, TTY*= as [Service] rows (systemd.exec(5);
// load-fragment.c config_parse_exec_nice, _oom_score_adjust, _io_class, _cpu_sched_*, _capability_set, _rlimit ...).
import type { CPUSchedulingPolicy, IOSchedulingClass } from '../model.js';
import { CPU_SCHEDULING_POLICIES, IO_SCHEDULING_CLASSES, KEYRING_MODES } from '../model.js';
import { CAP_ALL, parseCapabilitySet, parseSecureBits } from '../values/capability.js';
import { parseRlimit, RLIMITS, type RlimitName } from '../values/rlimit.js';
import type { ParseContext, SettingRow, ValueParser } from './define-settings.js';
import { custom, scalar } from './define-settings.js';
import type { UnitDraft } from './unit-draft.js';
import { bool, oneOf, simplifyPath, unset, words } from './value-parsers.js';

/** A whole number in [min, max], with systemd's two messages (unparsable / out of range). */
function ranged(min: number, max: number, unparsable: (v: string) => string, outOfRange: (v: string) => string): ValueParser<number> {
  return (value, ctx) => {
    if (!/^\s*[+-]?\d+\s*$/.test(value)) {
      ctx.warn(unparsable(value));
      return undefined;
    }
    const n = Number(value);
    if (n < min || n > max) {
      ctx.warn(outOfRange(value));
      return undefined;
    }
    return n;
  };
}

const nice = ranged(-20, 19, (v) => `Failed to parse nice priority '${v}', ignoring: Invalid argument`, (v) => `Nice priority out of range, ignoring: ${v}`);
const oomScoreAdjust = ranged(-1000, 1000, (v) => `Failed to parse the OOM score adjust value '${v}', ignoring: Invalid argument`, (v) => `OOM score adjust value out of range, ignoring: ${v}`);
const ioPriority = ranged(0, 7, (v) => `Failed to parse IO priority, ignoring: ${v}`, (v) => `Failed to parse IO priority, ignoring: ${v}`);
const cpuPriority = ranged(0, 99, (v) => `Failed to parse CPU scheduling priority, ignoring: ${v}`, (v) => `CPU scheduling priority is out of range, ignoring: ${v}`);

/** ioprio_class_from_string(): a name or the class number. */
const ioClass: ValueParser<IOSchedulingClass> = (value, ctx) => {
  const byNumber = /^[0-3]$/.test(value) ? IO_SCHEDULING_CLASSES[Number(value)] : undefined;
  const found = byNumber ?? IO_SCHEDULING_CLASSES.find((c) => c === value);
  if (found === undefined) ctx.warn(`Failed to parse IO scheduling class, ignoring: ${value}`);
  return found;
};

/** sched_policy_from_string(): a name or the policy number (SCHED_IDLE is 5). */
const POLICY_NUMBERS: Readonly<Record<string, CPUSchedulingPolicy>> = { '0': 'other', '1': 'fifo', '2': 'rr', '3': 'batch', '5': 'idle' };
const cpuPolicy: ValueParser<CPUSchedulingPolicy> = (value, ctx) => {
  const found = POLICY_NUMBERS[value] ?? CPU_SCHEDULING_POLICIES.find((p) => p === value);
  if (found === undefined) ctx.warn(`Failed to parse CPU scheduling policy, ignoring: ${value}`);
  return found;
};

/** sched_get_priority_min()/max() of each policy. */
const PRIORITY_RANGE: Readonly<Record<CPUSchedulingPolicy, readonly [number, number]>> = { other: [0, 0], batch: [0, 0], idle: [0, 0], fifo: [1, 99], rr: [1, 99] };

const cpuScheduling = (draft: UnitDraft) => draft.service.exec.cpuScheduling ?? { policy: 'other' as const, priority: 0, resetOnFork: false };

function rlimitRow(name: RlimitName): SettingRow {
  return custom(
    (value: string, ctx: ParseContext) => {
      const parsed = parseRlimit(name, value);
      if (parsed === undefined) ctx.warn(`Failed to parse resource value, ignoring: ${value}`);
      return parsed;
    },
    (draft, limit) => {
      draft.service.exec.limits = { ...draft.service.exec.limits, [name]: limit };
    },
  );
}

/** config_parse_capability_set(): "~" inverts; a first assignment (or an empty one) replaces, later ones add. */
function capabilityRow(field: 'capabilityBoundingSet' | 'ambientCapabilities', initial: bigint): SettingRow {
  return {
    specifiers: false,
    apply(draft, value, ctx) {
      const invert = value.startsWith('~');
      const list = words(invert ? value.slice(1) : value, ctx);
      if (list === undefined) return;
      const parsed = parseCapabilitySet(list);
      const sum = invert ? CAP_ALL & ~parsed : parsed;
      const current = draft.service.exec[field];
      draft.service.exec[field] = sum === 0n || current === initial ? sum : current | sum;
      draft.explicit.add(ctx.key);
    },
  };
}

const ttyPath: ValueParser<string> = (value, ctx) => {
  if (!value.startsWith('/')) {
    ctx.warn(`TTYPath= path is not absolute, ignoring: ${value}`);
    return undefined;
  }
  return simplifyPath(value);
};

export const processSettingRows: Record<string, SettingRow> = {
  ...Object.fromEntries(RLIMITS.map((name) => [`Limit${name}`, rlimitRow(name)])),
  Nice: scalar('exec', 'nice', nice, unset),
  OOMScoreAdjust: scalar('exec', 'oomScoreAdjust', oomScoreAdjust, unset),
  IOSchedulingClass: custom(ioClass, (draft, cls) => {
    draft.service.exec.ioScheduling = { class: cls, priority: draft.service.exec.ioScheduling?.priority ?? 4 };
  }),
  IOSchedulingPriority: custom(ioPriority, (draft, priority) => {
    draft.service.exec.ioScheduling = { class: draft.service.exec.ioScheduling?.class ?? 'best-effort', priority };
  }),
  CPUSchedulingPolicy: custom(cpuPolicy, (draft, policy) => {
    // The priority is clamped into the new policy's range.
    const [min, max] = PRIORITY_RANGE[policy];
    const current = cpuScheduling(draft);
    draft.service.exec.cpuScheduling = { ...current, policy, priority: Math.min(max, Math.max(min, current.priority)) };
  }),
  CPUSchedulingPriority: custom(cpuPriority, (draft, priority) => {
    draft.service.exec.cpuScheduling = { ...cpuScheduling(draft), priority };
  }),
  CPUSchedulingResetOnFork: custom(bool, (draft, resetOnFork) => {
    draft.service.exec.cpuScheduling = { ...cpuScheduling(draft), resetOnFork };
  }),
  NoNewPrivileges: scalar('exec', 'noNewPrivileges', bool),
  CapabilityBoundingSet: capabilityRow('capabilityBoundingSet', CAP_ALL),
  AmbientCapabilities: capabilityRow('ambientCapabilities', 0n),
  SecureBits: custom(
    (value: string, ctx: ParseContext) => {
      const list = words(value, ctx);
      return list === undefined ? undefined : parseSecureBits(list);
    },
    (draft, bits) => {
      draft.service.exec.secureBits = bits;
    },
  ),
  KeyringMode: scalar('exec', 'keyringMode', oneOf(KEYRING_MODES, 'keyring mode')),
  IgnoreSIGPIPE: scalar('exec', 'ignoreSIGPIPE', bool),
  TTYPath: scalar('exec', 'ttyPath', ttyPath, { specifiers: true, ...unset }),
  TTYReset: scalar('exec', 'ttyReset', bool),
  TTYVHangup: scalar('exec', 'ttyVHangup', bool),
  TTYVTDisallocate: scalar('exec', 'ttyVTDisallocate', bool),
};
