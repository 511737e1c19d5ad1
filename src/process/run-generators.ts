// Runs systemd.generator(7) executables: all at once, each with the three output folders as arguments,
// after emptying those folders, with systemd's environment and a time limit.
import { accessSync, constants, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { planGenerators, type GeneratorOutput } from '../unit/generators.js';

export interface GeneratorOptions {
  /** Generator directories, highest priority first. */
  readonly dirs: readonly string[];
  readonly output: GeneratorOutput;
  /** SYSTEMD_VIRTUALIZATION=: "container:docker", "vm:kvm", ... when known. */
  readonly virtualization?: string;
  readonly architecture: string;
  /** Per generator; systemd uses its default timeout (90 s). */
  readonly timeoutMs?: number;
}

export interface GeneratorMessage {
  readonly level: 'debug' | 'warning';
  readonly msg: string;
}

function executables(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    const path = `${dir}/${name}`;
    try {
      // A generator linked to /dev/null is disabled, and still hides one of its name further down.
      if (realpathSync(path) === '/dev/null') return true;
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
}

const masked = (path: string): boolean => {
  try {
    return realpathSync(path) === '/dev/null';
  } catch {
    return false;
  }
};

/** Runs every generator the plan keeps; resolves when all have finished, with what should be logged. */
export async function runGenerators(options: GeneratorOptions): Promise<GeneratorMessage[]> {
  const { output } = options;
  for (const dir of [output.normal, output.early, output.late]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  }
  const plan = planGenerators(options.dirs, executables);
  const messages: GeneratorMessage[] = plan.skipped.map(({ name, reason }) => ({ level: 'debug', msg: `Skipping generator ${name}: ${reason} need systemd itself.` }));
  const env = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    SYSTEMD_SCOPE: 'system',
    SYSTEMD_IN_INITRD: '0',
    SYSTEMD_ARCHITECTURE: options.architecture,
    ...(options.virtualization !== undefined ? { SYSTEMD_VIRTUALIZATION: options.virtualization } : {}),
  };
  const runnable = plan.run.filter((path) => !masked(path));
  if (runnable.length === 0) return messages;
  // execa is loaded only when a generator runs: a daemon without generators never pays for its memory.
  const { execa } = await import('execa');
  const runs = runnable.map(async (path) => {
    const result = await execa(path, [output.normal, output.early, output.late], {
      env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: options.timeoutMs ?? 90_000,
      cwd: '/',
    });
    for (const line of `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.trim() !== '')) messages.push({ level: 'warning', msg: `${basename(path)}: ${line}` });
    if (result.timedOut) messages.push({ level: 'warning', msg: `${path} timed out.` });
    else if (result.signal !== undefined) messages.push({ level: 'warning', msg: `${path} terminated by signal ${result.signal}.` });
    else if (result.exitCode !== 0) messages.push({ level: 'warning', msg: `${path} failed with exit status ${result.exitCode}.` });
  });
  await Promise.all(runs);
  return messages;
}
