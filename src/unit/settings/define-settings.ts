// The settings-table machinery (systemd's load-fragment-gperf): one row per key, parser → model field.
import type { Mutable, UnitDraft } from './unit-draft.js';

/** What a value parser may use and report while parsing one `Key=value` line. */
export interface ParseContext {
  readonly file: string;
  readonly line: number;
  readonly section: string;
  readonly key: string;
  /** The unit's name (for %n-style defaults and template resolution). */
  readonly unitName: string;
  readonly instance: string | undefined;
  /** Expands %-specifiers; on failure it warns in systemd's words and returns undefined. */
  expand(text: string): string | undefined;
  /**
   * Expands specifiers with each value escaped as `\xNN` where the line's own syntax would read it
   * (quotes, backslashes, blanks, ";"), so that splitting afterwards sees each value as written:
   * systemd expands Exec*= words after splitting them.
   */
  expandEscaped(text: string): string | undefined;
  /** A problem with this line; the setting (or the bad part of it) is ignored. */
  warn(message: string): void;
  /** A problem systemd treats as fatal: the unit loads as bad-setting. */
  fatal(message: string): void;
}

/** Parses one value; undefined means "ignored" (the parser has already reported why). */
export type ValueParser<T> = (value: string, ctx: ParseContext) => T | undefined;

/** One key of the table: how to parse the value and where it goes in the draft model. */
export interface SettingRow {
  /** Expand specifiers in the whole value before parsing (parsers that expand per word say so instead). */
  readonly specifiers: boolean;
  /** Parse and store; the row's own typed closure. */
  apply(draft: UnitDraft, value: string, ctx: ParseContext): void;
}

export interface SettingsTable {
  readonly section: string;
  readonly rows: Readonly<Record<string, SettingRow>>;
}

export const defineSettings = (section: string, rows: Record<string, SettingRow>): SettingsTable => ({ section, rows });

type Targets = {
  unit: UnitDraft['unit'];
  service: UnitDraft['service'];
  exec: UnitDraft['service']['exec'];
  kill: UnitDraft['service']['kill'];
  socket: UnitDraft['socket'];
  install: UnitDraft['install'];
  timer: UnitDraft['timer'];
};
type Target = keyof Targets;

const targetOf = <K extends Target>(draft: UnitDraft, target: K): Targets[K] => {
  const all: Targets = {
    unit: draft.unit,
    service: draft.service,
    exec: draft.service.exec,
    kill: draft.service.kill,
    socket: draft.socket,
    install: draft.install,
    timer: draft.timer,
  };
  return all[target];
};

interface RowOptions {
  readonly specifiers?: boolean;
}

interface ScalarOptions<V> extends RowOptions {
  /** The value an empty assignment restores (e.g. `User=` unsets the user); without it "" goes to the parser. */
  readonly empty?: { readonly value: V };
}

/** A single-valued setting: the last assignment wins. */
export function scalar<K extends Target, F extends keyof Targets[K] & string>(
  target: K,
  field: F,
  parse: ValueParser<Targets[K][F]>,
  options: ScalarOptions<Targets[K][F]> = {},
): SettingRow {
  return {
    specifiers: options.specifiers ?? false,
    apply(draft, value, ctx) {
      const t: Mutable<Targets[K]> = targetOf(draft, target);
      if (options.empty !== undefined && value.trim() === '') {
        t[field] = options.empty.value;
        draft.explicit.delete(ctx.key);
        return;
      }
      const parsed = parse(value, ctx);
      if (parsed === undefined) return;
      t[field] = parsed;
      draft.explicit.add(ctx.key);
    },
  };
}

type ElementOf<T> = T extends readonly (infer E)[] ? E : never;

/** A list setting: each assignment appends; an empty value resets the list (systemd.unit(5)). */
export function list<K extends Target, F extends keyof Targets[K] & string>(
  target: K,
  field: F,
  parse: ValueParser<readonly ElementOf<Targets[K][F]>[]>,
  options: RowOptions = {},
): SettingRow {
  return {
    specifiers: options.specifiers ?? false,
    apply(draft, value, ctx) {
      const t = targetOf(draft, target) as Record<F, readonly unknown[]>;
      draft.explicit.add(ctx.key);
      if (value.trim() === '') {
        t[field] = [];
        return;
      }
      const parsed = parse(value, ctx);
      if (parsed === undefined) return;
      // concat() allocates the joined list at its exact size (exact-list.ts), in one copy.
      t[field] = t[field].concat(parsed);
    },
  };
}

/** A setting whose effect is not a single field (TimeoutSec= sets two, Condition*= adds one, ...). */
export function custom<T>(
  parse: ValueParser<T>,
  store: (draft: UnitDraft, value: T, ctx: ParseContext) => void,
  options: RowOptions = {},
): SettingRow {
  return {
    specifiers: options.specifiers ?? false,
    apply(draft, value, ctx) {
      const parsed = parse(value, ctx);
      if (parsed === undefined) return;
      draft.explicit.add(ctx.key);
      store(draft, parsed, ctx);
    },
  };
}

/** A setting with nothing to parse: it only reports (unsupported and removed keys). */
export function reportOnly(report: (ctx: ParseContext, value: string) => void): SettingRow {
  return { specifiers: false, apply: (_draft, value, ctx) => report(ctx, value) };
}
