// The [Timer] settings table (systemd.timer(5), load-fragment-gperf.gperf.in "Timer.*").
import { TIMER_BASES, type TimerBase } from '../model.js';
import { parseCalendar } from '../values/calendar.js';
import { parseTimespan } from '../values/timespan.js';
import { parseUnitName } from '../unit-name.js';
import type { ParseContext, SettingRow } from './define-settings.js';
import { defineSettings, scalar } from './define-settings.js';
import { bool, time } from './value-parsers.js';

/** config_parse_timer(): appends one value; an empty assignment drops every value set so far. */
function timerValue(base: TimerBase | 'OnCalendar'): SettingRow {
  return {
    specifiers: true,
    apply(draft, value, ctx) {
      draft.explicit.add(ctx.key);
      if (value.trim() === '') {
        draft.timer.values = [];
        return;
      }
      if (base === 'OnCalendar') {
        const parsed = parseCalendar(value);
        if (!parsed.ok) return ctx.warn(`Failed to parse calendar specification, ignoring: ${value}`);
        draft.timer.values = [...draft.timer.values, { base, calendar: parsed.value }];
        return;
      }
      const usec = parseTimespan(value);
      if (usec === undefined) return ctx.warn(`Failed to parse timer value, ignoring: ${value}`);
      draft.timer.values = [...draft.timer.values, { base, usec }];
    },
  };
}

/** config_parse_trigger_unit(): one unit, of a valid type, not the timer itself. */
function triggerUnit(value: string, ctx: ParseContext): string | undefined {
  const name = value.trim();
  const parsed = parseUnitName(name);
  if (parsed === undefined || parsed.template) {
    ctx.warn(`Unit type not valid, ignoring: ${name}`);
    return undefined;
  }
  if (name === ctx.unitName) {
    ctx.warn(`Units cannot trigger themselves, ignoring: ${name}`);
    return undefined;
  }
  return name;
}

const sec = time({ what: 'sec value' });

export const timerSettings = defineSettings('Timer', {
  ...Object.fromEntries(TIMER_BASES.map((base) => [base, timerValue(base)])),
  OnCalendar: timerValue('OnCalendar'),
  AccuracySec: scalar('timer', 'accuracyUsec', sec),
  RandomizedDelaySec: scalar('timer', 'randomizedDelayUsec', sec),
  FixedRandomDelay: scalar('timer', 'fixedRandomDelay', bool),
  OnClockChange: scalar('timer', 'onClockChange', bool),
  OnTimezoneChange: scalar('timer', 'onTimezoneChange', bool),
  Persistent: scalar('timer', 'persistent', bool),
  WakeSystem: scalar('timer', 'wakeSystem', (value, ctx) => {
    const on = bool(value, ctx);
    if (on) ctx.warn("Setting 'WakeSystem=yes' is not supported by unitvisor (it cannot wake a suspended system), ignoring.");
    return on;
  }),
  RemainAfterElapse: scalar('timer', 'remainAfterElapse', bool),
  Unit: {
    specifiers: true,
    apply(draft, value, ctx) {
      if (draft.timer.unit !== undefined) return ctx.warn(`Multiple units to trigger specified, ignoring: ${value}`);
      const name = triggerUnit(value, ctx);
      if (name !== undefined) draft.timer.unit = name;
    },
  },
});
