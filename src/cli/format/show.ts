// `systemctl show`: Key=Value lines in systemd's order, filtered by -p, or bare values with --value.
import type { UnitInfo } from '../../protocol/unit-info.js';

export interface ShowOptions {
  /** -p/--property names; empty means all. */
  readonly properties: readonly string[];
  /** --value: print only the values. */
  readonly valueOnly: boolean;
  /** --all: also print properties whose value is empty. */
  readonly all: boolean;
}

export function formatShow(info: UnitInfo, options: ShowOptions): string {
  const rows =
    options.properties.length > 0
      ? // -p prints each named property that exists, in systemd's order, empty or not.
        info.properties.filter(([key]) => options.properties.includes(key))
      : info.properties.filter(([, value]) => options.all || value !== '');
  return rows.map(([key, value]) => (options.valueOnly ? value : `${key}=${value}`)).join('\n');
}
