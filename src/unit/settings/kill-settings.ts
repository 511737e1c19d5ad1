// systemd.kill(5) settings as [Service] table rows (load-fragment-gperf "KillMode", "KillSignal", ...).
import type { KillMode } from '../model.js';
import { KILL_MODES } from '../model.js';
import type { SettingRow, ValueParser } from './define-settings.js';
import { scalar } from './define-settings.js';
import { bool, oneOf, signal, unset } from './value-parsers.js';

const killModeWord = oneOf(KILL_MODES, 'kill mode specification');

/** KillMode=none still works in systemd 252, with a warning (config_parse_kill_mode). */
const killMode: ValueParser<KillMode> = (value, ctx) => {
  const mode = killModeWord(value, ctx);
  if (mode === 'none') {
    ctx.warn(
      "Unit uses KillMode=none. This is unsafe, as it disables systemd's process lifecycle management for the service. " +
        "Please update the service to use a safer KillMode=, such as 'mixed' or 'control-group'. " +
        'Support for KillMode=none is deprecated and will eventually be removed.',
    );
  }
  return mode;
};

export const killSettingRows: Record<string, SettingRow> = {
  KillMode: scalar('kill', 'killMode', killMode),
  KillSignal: scalar('kill', 'killSignal', signal),
  RestartKillSignal: scalar('kill', 'restartKillSignal', signal, unset),
  FinalKillSignal: scalar('kill', 'finalKillSignal', signal),
  WatchdogSignal: scalar('kill', 'watchdogSignal', signal),
  SendSIGKILL: scalar('kill', 'sendSIGKILL', bool),
  SendSIGHUP: scalar('kill', 'sendSIGHUP', bool),
};
