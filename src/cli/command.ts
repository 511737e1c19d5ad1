// The shapes of the command table: a verb, its arguments and options, and where it prints.

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Writes to the terminal as is; present only when stdout is one (live progress is drawn there, never into a pipe). */
  readonly terminal?: { write(text: string): void; readonly colour: boolean };
}

/** Parsed options: the global ones typed, a verb's own ones by their camelCased long name. */
export interface Options {
  socket?: string;
  unitPath?: string[];
  noBlock?: boolean;
  all?: boolean;
  failed?: boolean;
  property?: string[];
  value?: boolean;
  offline?: boolean;
  root?: string;
  now?: boolean;
  quiet?: boolean;
  [key: string]: string | string[] | boolean | undefined;
}

export interface OptionSpec {
  /** As in getopt's usage text: `-p, --property <names>` (a value) or `--now` (a switch). */
  readonly flags: string;
  readonly description: string;
  /** A repeated option's values: the last wins (default), each is kept, or comma-separated lists are joined. */
  readonly multiple?: 'append' | 'split';
  readonly choices?: readonly string[];
  readonly default?: string;
}

export type VerbRun = (args: string[], options: Options, io: Io) => Promise<number>;

export interface VerbSpec {
  readonly name: string;
  /** `<units...>` (one or more), `[units...]` (any), `<unit>` (exactly one), `[dir]` (at most one). */
  readonly args?: string;
  readonly description: string;
  readonly options?: readonly OptionSpec[];
  /** Its arguments are unit names, mangled as systemctl does (`glob`: patterns expand over the loaded units). */
  readonly unitNames?: 'glob' | 'plain';
  /** Loads the verb's module on demand (`import()`), so a verb pays only for what it uses. */
  readonly run: VerbRun;
}
