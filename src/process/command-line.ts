// A process's command line as status shows it (/proc/PID/cmdline, NUL-separated arguments).
import { readFileSync } from 'node:fs';

export function readCommandLine(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return text.replace(/\0+$/, '').split('\0').join(' ') || undefined;
  } catch {
    return undefined;
  }
}
