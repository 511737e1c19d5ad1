// The boot's view of load diagnostics: no wall of warnings. Settings unitvisor does not enforce are told
// in one line per unit as it starts; unit types it does not run in one line; every other problem as it is.
// `unitvisor verify` still prints every line.

const UNSUPPORTED_SETTING = /^(.*?):\d+: Setting '([^']+)' is not supported by unitvisor \(([^)]+)\), ignoring\.$/;
const UNSUPPORTED_TYPE = /^(.*?): Unit type (\w+) is not supported by unitvisor\.$/;
const REFUSED = /^(.*?): Setting '([^']+)' is not supported by unitvisor \(([^)]+)\)\. Refusing\.$/;

/** Boot and reload lines: unsupported settings left for {@link unenforcedSettingsLine}, unsupported types grouped. */
export function summarizeDiagnostics(lines: readonly string[]): string[] {
  const out: string[] = [];
  const types = new Map<string, number>();
  const refused = new Map<string, string[]>();
  for (const line of lines) {
    if (UNSUPPORTED_SETTING.test(line)) continue;
    const type = UNSUPPORTED_TYPE.exec(line)?.[2];
    const refusal = REFUSED.exec(line);
    if (type !== undefined) types.set(type, (types.get(type) ?? 0) + 1);
    else if (refusal !== null) {
      const why = `${refusal[2]} (${refusal[3]})`;
      refused.set(why, [...(refused.get(why) ?? []), (refusal[1] as string).replace(/^.*\//, '')]);
    } else out.push(line);
  }
  for (const [why, units] of refused) out.push(`${units.length} unit${units.length === 1 ? '' : 's'} not loaded, ${why} is not supported by unitvisor: ${units.join(', ')}.`);
  if (types.size > 0) {
    const count = [...types.values()].reduce((a, b) => a + b, 0);
    const list = [...types.entries()].map(([type, n]) => `${n} ${type}`).join(', ');
    out.push(`${count} units of types unitvisor does not run are left unloaded (${list}); list-units --all shows them.`);
  }
  return out;
}

/** "3 settings of redis-server.service not enforced here: PrivateTmp, ..." for the unit's keys (setting-support.ts), or undefined. */
export function unenforcedSettingsLine(unit: string, keys: readonly string[]): string | undefined {
  if (keys.length === 0) return undefined;
  return `${keys.length} setting${keys.length === 1 ? '' : 's'} of ${unit} not enforced here: ${keys.join(', ')} (unitvisor verify --report ${unit} says why).`;
}
