// Fragment + drop-ins → UnitConfig with systemd 252's defaults and load-time checks (load-fragment.c, unit_load_fragment_and_dropin()).
import type { Diagnostic } from './diagnostic.js';
import { error, warning } from './diagnostic.js';
import type { LoadState } from './active-state.js';
import { UNIT_TYPES, type UnitConfig, type UnitType } from './model.js';
import { parseSyntax } from './syntax.js';
import type { SpecifierContext } from './specifiers.js';
import { expandSpecifiers } from './specifiers.js';
import { parseUnitName } from './unit-name.js';
import type { ParseContext, SettingsTable } from './settings/define-settings.js';
import { unitSettings } from './settings/unit-section.js';
import { serviceSettings } from './settings/service-section.js';
import { installSettings } from './settings/install-section.js';
import { finalizeProbes, healthCheckSettings, readinessSettings } from './settings/probe-sections.js';
import { watchSettings } from './settings/watch-section.js';
import { socketSettings } from './settings/socket-section.js';
import { timerSettings } from './settings/timer-section.js';
import { createDraft, type UnitDraft } from './settings/unit-draft.js';
import { defaultInstallSection, defaultServiceSection, defaultUnitSection } from './settings/defaults.js';
import { applyServiceFixups, applySocketFixups, freezeDraft, isUnitvisorRefusal, verifyUnit } from './settings/unit-fixups.js';

export { defaultServiceSection, defaultUnitSection } from './settings/defaults.js';

export interface UnitSourceFile {
  readonly path: string;
  readonly text: string;
  /** The file as read: a line that is not UTF-8 is reported from these ("String is not UTF-8 clean"). */
  readonly bytes?: Uint8Array;
}

export interface LoadRequest {
  /** The requested name, e.g. "a.service" or "x@inst.service". */
  readonly name: string;
  /** For an instance: the template's file. */
  readonly fragment: UnitSourceFile;
  /** Already in systemd's application order. */
  readonly dropIns: readonly UnitSourceFile[];
  /** Names from symlinks (the directory loader finds them). */
  readonly aliases: readonly string[];
  /** Host facts; the unit-name parts are filled in here. */
  readonly specifiers: SpecifierContext;
}

/** The sections each unit type reads (unit_vtable[]->sections); others are "Unknown section". */
const SECTIONS: Readonly<Record<UnitType, readonly SettingsTable[]>> = {
  service: [unitSettings, serviceSettings, installSettings, readinessSettings, healthCheckSettings, watchSettings],
  target: [unitSettings, installSettings],
  socket: [unitSettings, socketSettings, installSettings],
  timer: [unitSettings, timerSettings, installSettings],
};

const isUnitType = (suffix: string | undefined): suffix is UnitType => (UNIT_TYPES as readonly (string | undefined)[]).includes(suffix);

/** The unit type a name's suffix names; names of types unitvisor does not run count as services (they load as stubs). */
export function unitTypeOf(name: string): UnitType {
  const suffix = parseUnitName(name)?.suffix;
  return isUnitType(suffix) ? suffix : 'service';
}

/** Parses the fragment, then each drop-in, into one draft; stops at the first fatal error, as config_parse() does. */
export function loadFragment(req: LoadRequest): { config: UnitConfig; diagnostics: Diagnostic[] } {
  const type = unitTypeOf(req.name);
  const instance = parseUnitName(req.name)?.instance;
  const draft = createDraft();
  const diagnostics: Diagnostic[] = [];
  const specifiers = specifierContextFor(req);
  const settings = new Set<string>();
  let loadError: { state: LoadState; message: string } | undefined;
  let refusedHere = false;
  for (const file of [req.fragment, ...req.dropIns]) {
    const failure = applyFile(file, type, { draft, diagnostics, specifiers, settings, unitName: req.name, instance });
    if (failure !== undefined) {
      loadError = failure;
      break;
    }
  }
  if (type === 'service') {
    applyServiceFixups(draft);
    diagnostics.push(...finalizeProbes(draft));
  }
  if (type === 'socket') applySocketFixups(draft);
  if (loadError === undefined) {
    const refusal = verifyUnit(draft, type, req.name);
    diagnostics.push(...refusal.diagnostics);
    if (refusal.refused) loadError = { state: 'bad-setting', message: badSetting(req.name) };
    refusedHere = refusal.refused && refusal.diagnostics.some((d) => isUnitvisorRefusal(d.message));
  } else {
    diagnostics.push(error(req.name, 0, 'Unit configuration has fatal error, unit will not be started.'));
  }
  const config = freezeDraft(draft, type, {
    id: req.name,
    aliases: [...req.aliases],
    loadState: loadError?.state ?? 'loaded',
    loadError: loadError?.message,
    ...(refusedHere ? { refusedHere } : {}),
    settings: [...settings],
    fragmentPath: req.fragment.path,
    dropInPaths: req.dropIns.map((d) => d.path),
    instance,
  });
  return { config, diagnostics };
}

const badSetting = (name: string): string => `Unit ${name} has a bad unit file setting.`;

interface LoadRun {
  readonly draft: UnitDraft;
  readonly diagnostics: Diagnostic[];
  readonly specifiers: SpecifierContext;
  /** "Section.Key" of every assignment, known or not (verify --report, show's NotEnforced=). */
  readonly settings: Set<string>;
  readonly unitName: string;
  readonly instance: string | undefined;
}

/** One file's sections through the tables; returns why loading stopped, if it did. */
function applyFile(file: UnitSourceFile, type: UnitType, st: LoadRun): { state: LoadState; message: string } | undefined {
  const tables = SECTIONS[type];
  const syntax = parseSyntax(file.bytes ?? file.text, file.path, { sections: tables.map((t) => t.section) });
  st.diagnostics.push(...syntax.diagnostics);
  const syntaxError = syntax.diagnostics.find((d) => d.severity === 'error');
  if (syntaxError !== undefined) return { state: 'error', message: syntaxError.message };
  for (const section of syntax.sections) {
    const table = tables.find((t) => t.section === section.name);
    if (table === undefined) continue;
    for (const entry of section.entries) {
      applyEntry(table, section.name, entry.key, entry.value, file.path, entry.line, st);
      if (st.draft.fatal) return { state: 'bad-setting', message: badSetting(st.unitName) };
    }
  }
  return undefined;
}

function applyEntry(table: SettingsTable, section: string, key: string, value: string, file: string, line: number, st: LoadRun): void {
  st.settings.add(`${section}.${key}`);
  const row = table.rows[key];
  if (row === undefined) {
    // "X-" keys are extensions and pass silently (conf-parser.c next_assignment()).
    if (!key.startsWith('X-')) st.diagnostics.push(warning(file, line, `Unknown key '${key}' in section [${section}], ignoring.`));
    return;
  }
  const ctx = parseContext(section, key, file, line, st);
  const expanded = row.specifiers ? ctx.expand(value) : value;
  if (expanded === undefined) return;
  row.apply(st.draft, expanded, ctx);
}

function parseContext(section: string, key: string, file: string, line: number, st: LoadRun): ParseContext {
  return {
    file,
    line,
    section,
    key,
    unitName: st.unitName,
    instance: st.instance,
    expand(text) {
      const r = expandSpecifiers(text, st.specifiers);
      if ('value' in r) return r.value;
      st.diagnostics.push(warning(file, line, `Failed to resolve unit specifiers in ${text}, ignoring: ${r.error}`));
      return undefined;
    },
    expandEscaped(text) {
      const r = expandEachEscaped(text, st.specifiers);
      if ('value' in r) return r.value;
      st.diagnostics.push(warning(file, line, `Failed to resolve unit specifiers in ${text}, ignoring: ${r.error}`));
      return undefined;
    },
    warn: (message) => void st.diagnostics.push(warning(file, line, message)),
    fatal(message) {
      st.diagnostics.push(error(file, line, message));
      st.draft.fatal = true;
    },
  };
}

/** Characters an Exec line's splitter would act on. */
const EXEC_SYNTAX = /[\\"'\s;]/g;
const escapeForExec = (value: string): string =>
  value.replace(EXEC_SYNTAX, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** expandSpecifiers(), one specifier at a time, each value escaped for the Exec line splitter. */
function expandEachEscaped(text: string, specifiers: SpecifierContext): { value: string } | { error: string } {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/%[\s\S]?/g)) {
    const r = expandSpecifiers(m[0], specifiers);
    if ('error' in r) return r;
    out += text.slice(last, m.index) + (m[0] === '%%' || m[0] === '%' ? r.value : escapeForExec(r.value));
    last = m.index + m[0].length;
  }
  return { value: out + text.slice(last) };
}

/** The host facts plus what depends on the unit being loaded (%n, %N, %p, %i, %I, %f, %j, %J). */
function specifierContextFor(req: LoadRequest): SpecifierContext {
  return { ...req.specifiers, unitName: req.name, fragmentPath: req.fragment.path };
}

/** A unit that could not be loaded (not-found, masked, error, bad-setting), with every default. */
export function stubUnit(name: string, loadState: LoadState, loadError: string | undefined): UnitConfig {
  const type = unitTypeOf(name);
  return {
    id: name,
    type,
    aliases: [],
    loadState,
    loadError,
    fragmentPath: undefined,
    dropInPaths: [],
    instance: parseUnitName(name)?.instance,
    unit: defaultUnitSection(),
    service: name.endsWith('.service') ? defaultServiceSection() : undefined,
    socket: undefined,
    timer: undefined,
    install: defaultInstallSection(),
  };
}
