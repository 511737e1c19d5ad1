// The environment a service process gets, composed in systemd's order (systemd.exec(5) "Environment variables in spawned processes").

/** systemd's DEFAULT_PATH (split-usr build), what PID 1 hands to services. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The user from User=, as get_fixed_user() resolved it. */
export interface ServiceUser {
  readonly name: string;
  readonly home?: string;
  readonly shell?: string;
}

export interface EnvironmentInputs {
  /** The manager's environment block (manager_get_effective_environment): PATH, LANG, ... */
  readonly base: { readonly PATH?: string; readonly LANG?: string; readonly [name: string]: string | undefined };
  readonly invocationId?: string;
  readonly user?: ServiceUser;
  /** Environment= assignments ("KEY=value"), in order. */
  readonly environment: readonly string[];
  /** Each EnvironmentFile='s assignments, already read, in file order. */
  readonly environmentFiles: readonly (readonly string[])[];
  /** PassEnvironment= names, and the manager's own process environment they are taken from. */
  readonly passEnvironment: { readonly names: readonly string[]; readonly from: Readonly<Record<string, string | undefined>> };
  /** UnsetEnvironment=: names, or exact "KEY=value" assignments. */
  readonly unsetEnvironment: readonly string[];
  readonly notifySocket?: string;
  readonly mainPid?: number;
  /** Per-spawn variables service.c adds ($SERVICE_RESULT, $EXIT_CODE, $EXIT_STATUS, $WATCHDOG_USEC, ...). */
  readonly extra?: Readonly<Record<string, string>>;
}

/** env_name_is_valid(): a C identifier-ish name, no "=" (systemd allows any non-control printable but "=" and digits first). */
const isValidName = (name: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);

function splitAssignment(assignment: string): [string, string] | undefined {
  const eq = assignment.indexOf('=');
  if (eq <= 0) return undefined;
  const name = assignment.slice(0, eq);
  return isValidName(name) ? [name, assignment.slice(eq + 1)] : undefined;
}

/** USER_CREDS_CLEAN: "/" and empty homes, and placeholder shells, are not exported. */
const PLACEHOLDER_SHELLS = ['/bin/false', '/usr/bin/false', '/sbin/nologin', '/usr/sbin/nologin', '/bin/nologin', '/usr/bin/nologin'];

function userVariables(user: ServiceUser | undefined): Record<string, string> {
  if (user === undefined) return {};
  const vars: Record<string, string> = {};
  // "nobody" resolves with neither home nor shell under USER_CREDS_CLEAN.
  const isNobody = user.name === 'nobody';
  if (!isNobody && user.home !== undefined && user.home !== '' && user.home !== '/') vars.HOME = user.home;
  vars.LOGNAME = user.name;
  vars.USER = user.name;
  if (!isNobody && user.shell !== undefined && user.shell !== '' && !PLACEHOLDER_SHELLS.includes(user.shell)) {
    vars.SHELL = user.shell;
  }
  return vars;
}

/** strv_env_delete() with env_match(): a bare name removes the variable, "K=V" only that exact assignment. */
function unset(env: Record<string, string>, patterns: readonly string[]): void {
  for (const pattern of patterns) {
    const eq = pattern.indexOf('=');
    if (eq < 0) delete env[pattern];
    else if (env[pattern.slice(0, eq)] === pattern.slice(eq + 1)) delete env[pattern.slice(0, eq)];
  }
}

/**
 * exec_child()'s merge, later wins: manager block + service.c's per-spawn variables, then
 * exec's own (HOME, LOGNAME, USER, SHELL, INVOCATION_ID), then PassEnvironment=, then
 * Environment=, then EnvironmentFile= (files override Environment=), then UnsetEnvironment=.
 */
export function composeEnvironment(inputs: EnvironmentInputs): Record<string, string> {
  const env: Record<string, string> = {};
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined && isValidName(name)) env[name] = value;
  };
  put('PATH', inputs.base.PATH ?? DEFAULT_PATH);
  for (const [name, value] of Object.entries(inputs.base)) put(name, value);
  put('NOTIFY_SOCKET', inputs.notifySocket);
  if (inputs.mainPid !== undefined) put('MAINPID', String(inputs.mainPid));
  for (const [name, value] of Object.entries(inputs.extra ?? {})) put(name, value);
  for (const [name, value] of Object.entries(userVariables(inputs.user))) put(name, value);
  put('INVOCATION_ID', inputs.invocationId);
  // build_pass_environment(): only variables the manager itself has.
  for (const name of inputs.passEnvironment.names) put(name, inputs.passEnvironment.from[name]);
  for (const assignment of [...inputs.environment, ...inputs.environmentFiles.flat()]) {
    const kv = splitAssignment(assignment);
    if (kv) put(kv[0], kv[1]);
  }
  unset(env, inputs.unsetEnvironment);
  return env;
}
