// How the event log looks on stdout: text unless JSON is asked for, coloured per unit when stdout is a
// terminal, following Node's rules for FORCE_COLOR (it wins) and NO_COLOR (https://no-color.org).
import type { LogFormat } from './event-log.js';

export interface LogStyle {
  readonly format: LogFormat;
  readonly colour: boolean;
}

export function logStyle(asked: LogFormat | undefined, isTTY: boolean, env: NodeJS.ProcessEnv): LogStyle {
  const format = asked ?? 'text';
  if (format === 'json') return { format, colour: false };
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return { format, colour: force !== '0' && force !== 'false' };
  if (env['NO_COLOR']) return { format, colour: false };
  return { format, colour: isTTY };
}
