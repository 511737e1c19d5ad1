// Boolean values in unit files, as systemd's parse_boolean() accepts them (systemd.syntax(7)).

const TRUE_WORDS = new Set(['1', 'yes', 'y', 'true', 't', 'on']);
const FALSE_WORDS = new Set(['0', 'no', 'n', 'false', 'f', 'off']);

/** "1 yes y true t on" / "0 no n false f off", case-insensitive; undefined otherwise. */
export function parseBoolean(s: string): boolean | undefined {
  const v = s.toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return undefined;
}

/** As systemd's yes_no(), used by `systemctl show`. */
export function formatBoolean(b: boolean): 'yes' | 'no' {
  return b ? 'yes' : 'no';
}
