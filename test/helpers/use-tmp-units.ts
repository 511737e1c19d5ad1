// A temporary unit directory with the given files, removed after the test.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { onTestFinished } from 'vitest';

export interface TmpUnits {
  readonly dir: string;
  write(name: string, text: string): void;
}

export function useTmpUnits(files: Readonly<Record<string, string>>): TmpUnits {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-test-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };
  for (const [name, text] of Object.entries(files)) write(name, text);
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, write };
}

/** Absolute path of a puppet program in test/fixtures/bin. */
export const bin = (name: string): string => resolve(import.meta.dirname, '../fixtures/bin', `${name}.mjs`);

/** `node PUPPET args` as an ExecStart= value. */
export const puppet = (name: string, ...args: (string | number)[]): string => [process.execPath, bin(name), ...args.map(String)].join(' ');
