// The local zone's abbreviation as the C library names it (localtime()'s tm_zone): from the tz database file that
// $TZ names (a path, or a name under $TZDIR or /usr/share/zoneinfo), else /etc/localtime. Intl knows every offset
// but calls most zones "GMT+1"; systemd prints "CET". Read once per $TZ value.
import { readFileSync } from 'node:fs';
import { abbreviationAt, parseTzif, type ZoneNames } from './tzif.js';

let cached: { readonly tz: string | undefined; readonly zone: ZoneNames | undefined } | undefined;

function zoneFile(tz: string | undefined): string {
  if (tz === undefined) return '/etc/localtime';
  const name = tz.replace(/^:/, '');
  return name.startsWith('/') ? name : `${process.env['TZDIR'] ?? '/usr/share/zoneinfo'}/${name}`;
}

function readZone(tz: string | undefined): ZoneNames | undefined {
  const path = zoneFile(tz);
  try {
    return parseTzif(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** The abbreviation of local time at `ms`, or undefined where no zone file says (the caller falls back to Intl). */
export function localZoneAbbreviation(ms: number): string | undefined {
  const tz = process.env['TZ'];
  // An empty TZ is UTC, named so (glibc's tzset()).
  if (tz?.replace(/^:/, '') === '') return 'UTC';
  if (cached === undefined || cached.tz !== tz) cached = { tz, zone: readZone(tz) };
  const zone = cached.zone;
  if (zone === undefined) return undefined;
  return abbreviationAt(zone, Math.floor(ms / 1000), -new Date(ms).getTimezoneOffset() * 60);
}
