// Octal file modes (UMask=, systemd.exec(5)) as systemd's parse_mode() reads them.

/** Octal 0…07777, leading whitespace allowed, no sign; undefined otherwise. */
export function parseUmask(s: string): number | undefined {
  const t = s.replace(/^[ \t\n\r]+/, '');
  if (!/^[0-7]+$/.test(t)) return undefined;
  const mode = parseInt(t, 8);
  return mode <= 0o7777 ? mode : undefined;
}

/** As `systemctl show` prints UMask=: four octal digits. */
export function formatUmask(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
