// OnCalendar= → a CronJob schedule (minute hour day month weekday), where cron can say the same:
// no seconds other than :00, no years, no "~" last days.
import type { CalendarComponent, CalendarSpec } from '../unit/values/calendar.js';

export type CronSchedule = { readonly schedule: string; readonly timeZone: string | undefined } | { readonly lossy: string };

function field(chain: readonly CalendarComponent[]): string {
  if (chain.length === 0) return '*';
  return chain
    .map((c) => {
      const range = c.stop >= 0 && c.stop !== c.start ? `${c.start}-${c.stop}` : String(c.start);
      return c.repeat > 0 ? `${range}/${c.repeat}` : range;
    })
    .join(',');
}

/** Bit 0 = Monday … bit 6 = Sunday, as cron's 1..6,0. */
function weekdays(mask: number): string {
  if (mask < 0 || (mask & 127) === 127) return '*';
  const days: number[] = [];
  for (let bit = 0; bit < 7; bit++) if (mask & (1 << bit)) days.push((bit + 1) % 7);
  return days.sort((a, b) => a - b).join(',');
}

export function cronSchedule(spec: CalendarSpec): CronSchedule {
  if (spec.year.length > 0) return { lossy: 'a year cannot be named in a cron schedule' };
  if (spec.endOfMonth) return { lossy: '"~" (days before the end of the month) has no cron form' };
  const atZeroSeconds = spec.usec.length === 1 && spec.usec[0]!.start === 0 && spec.usec[0]!.stop < 0 && spec.usec[0]!.repeat === 0;
  if (!atZeroSeconds) return { lossy: 'cron runs at whole minutes only' };
  const schedule = [field(spec.minute), field(spec.hour), field(spec.day), field(spec.month), weekdays(spec.weekdays)].join(' ');
  return { schedule, timeZone: spec.utc ? 'Etc/UTC' : spec.timezone };
}
