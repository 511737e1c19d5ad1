// Every fenced block of the README is checked, so the manual cannot drift from the product. The line
// before each block says how, as an HTML comment (invisible on GitHub): `<!-- readme-test: KIND ARGS -->`.
//   file PATH       the block is part of PATH, a file the suite runs or loads
//   unit [DIR]      a unit file (named by its first `# NAME` comment): `unitvisor verify` finds nothing wrong
//                   (with DIR on the unit path for the units it names)
//   usage VERB      a synopsis: VERB exists and has every --option shown
//   transcript DIR UNIT...  a terminal session, run for real: `unitvisor init` over a copy of DIR, UNITs started
//                   first, then each `$ unitvisor ...` line; its output must be what the README shows, numbers,
//                   dates and host names aside
//   commands        every `unitvisor ...` line parses as a command line of the command table
//   npm-scripts     every `npm run X`, `npm start`, `npm test` names a script of package.json
//   typecheck       TypeScript that type-checks against the package's own types
//   event-log       JSON lines of the event log contract (time, level, msg, unit)
//   yaml            YAML that parses
//   skip REASON     cannot run here; the reason is printed in the README's source
// An unmarked block, or an unknown kind, fails the test.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, test } from 'vitest';
import { parseArgv } from '../../src/cli/argv.js';
import { DEFAULT_VERB, GLOBAL_OPTIONS, VERBS } from '../../src/cli/verbs.js';
import { runCli, startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';

const ROOT = resolve(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Block {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  readonly kind: string | undefined;
  readonly args: string;
}

function readmeBlocks(): Block[] {
  const lines = README.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)$/.exec(lines[i] as string);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    const marker = /^<!-- readme-test: (\S+) ?(.*?) -->$/.exec(lines[i - 1] ?? '');
    blocks.push({ line: i + 1, lang: open[1] ?? '', text: `${lines.slice(i + 1, end).join('\n')}\n`, kind: marker?.[1], args: marker?.[2] ?? '' });
    i = end;
  }
  return blocks;
}

/** A command line as sh splits it: words, '…' and "…" quoting; stops at a pipe, redirection, `;`, `&&` or comment. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\|\||&&|[|;<>#])|([^\s'"|;<>#&]+)/g;
  for (const m of line.matchAll(re)) {
    if (m[3] !== undefined) break;
    words.push(m[1] ?? m[2] ?? m[4] ?? '');
  }
  return words;
}

/** The `unitvisor ...` command lines of a block, as words after the program name: in a transcript only the `$ ` lines. */
function unitvisorCommands(text: string): string[][] {
  const lines = text.split('\n');
  const prompted = lines.filter((l) => l.startsWith('$ ')).map((l) => l.slice(2));
  return (prompted.length > 0 ? prompted : lines).filter((l) => l.startsWith('unitvisor ')).map((l) => shellWords(l).slice(1));
}

async function verifyUnit(block: Block): Promise<void> {
  const name = /^# ?([\w@.-]+\.(?:service|socket|timer|target))\b/.exec(block.text)?.[1] ?? 'readme.service';
  const dir = mkdtempSync(join(tmpdir(), 'readme-unit-'));
  try {
    writeFileSync(join(dir, name), block.text);
    const extra = block.args ? ['--unit-path', join(ROOT, block.args)] : [];
    const result = await runCli(['verify', '--unit-path', dir, ...extra, name]);
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkUsage(block: Block): void {
  const verb = VERBS.find((v) => v.name === block.args);
  expect(verb, `verb ${block.args}`).toBeDefined();
  const known = [...GLOBAL_OPTIONS, ...(verb?.options ?? [])].flatMap((o) => o.flags.match(/--[a-z-]+/g) ?? []);
  const shown = block.text.match(/--[a-z-]+/g) ?? [];
  expect(shown.filter((o) => !known.includes(o))).toEqual([]);
}

function checkCommands(block: Block): void {
  const commands = unitvisorCommands(block.text);
  expect(commands.length).toBeGreaterThan(0);
  for (const words of commands) {
    const parsed = parseArgv(words, GLOBAL_OPTIONS, VERBS, DEFAULT_VERB);
    expect(parsed.ok ? 'ok' : parsed.message, `unitvisor ${words.join(' ')}`).toBe('ok');
  }
}

/** What differs from run to run: numbers (PIDs, job ids, versions) and a journal line's date and host. */
const normalized = (text: string): string =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => l.replace(/^(\s*)[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \S+ /, '$1DATE HOST ').replace(/\d+/g, '#'))
    .join('\n');

/** `$ command` lines and the output under each, as the README shows them. */
function sessions(text: string): { command: string; output: string }[] {
  const out: { command: string; output: string }[] = [];
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('$ ')) out.push({ command: line.slice(2), output: '' });
    else if (out.length > 0) (out.at(-1) as { output: string }).output += `${line}\n`;
  }
  return out;
}

async function runTranscript(block: Block): Promise<void> {
  const [dir = '', ...units] = block.args.split(' ');
  const copy = mkdtempSync(join(tmpdir(), 'readme-transcript-'));
  try {
    cpSync(join(ROOT, dir), copy, { recursive: true });
    const daemon = await startDaemon(copy);
    for (const unit of units) await daemon.cli('start', unit);
    for (const { command, output } of sessions(block.text)) {
      const result = await daemon.cli(...shellWords(command).slice(1));
      const exit = command.includes('echo "exit $?"') ? `exit ${result.code}\n` : '';
      expect(normalized(`${result.stdout}${result.stderr}${exit}`), command).toBe(normalized(output));
    }
    await daemon.stop();
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

function checkNpmScripts(block: Block): void {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const named = [...block.text.matchAll(/npm (?:run ([\w:-]+)|(start|test))/g)].map((m) => m[1] ?? m[2] ?? '');
  expect(named.length).toBeGreaterThan(0);
  expect(named.filter((s) => scripts[s] === undefined)).toEqual([]);
}

/** Type-checks the block as a module of this package (so `import ... from 'unitvisor'` resolves to it). */
function typecheck(blocks: readonly Block[]): string[] {
  const dir = join(ROOT, 'test', `.readme-blocks-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const files = blocks.map((b) => {
      const file = join(dir, `block-${b.line}.ts`);
      writeFileSync(file, b.text);
      return file;
    });
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile.bind(ts.sys));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const program = ts.createProgram(files, { ...options, noEmit: true });
    return ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && files.includes(resolve(d.file.fileName)))
      .map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkEventLog(block: Block): void {
  for (const line of block.text.trim().split('\n')) {
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(entry)).toEqual(expect.arrayContaining(['time', 'level', 'msg', 'unit']));
    expect(typeof entry['time']).toBe('number');
  }
}

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const blocks = readmeBlocks();
const byKind = (kind: string) => blocks.filter((b) => b.kind === kind);
const label = (b: Block) => `README.md:${b.line} ${b.lang || 'text'} ${b.args}`.trim();

describe('README code blocks', () => {
  test('every block says how it is tested, with a known kind (or why it cannot run here)', () => {
    const kinds = ['file', 'unit', 'usage', 'transcript', 'commands', 'npm-scripts', 'typecheck', 'event-log', 'yaml', 'skip'];
    expect(blocks.length).toBeGreaterThan(20);
    const unmarked = blocks.filter((b) => b.kind === undefined || !kinds.includes(b.kind));
    expect(unmarked.map((b) => `${label(b)}: no <!-- readme-test: ${kinds.join('|')} ... --> line before it`)).toEqual([]);
    expect(byKind('skip').filter((b) => b.args.length < 10).map(label)).toEqual([]);
  });

  test.each(byKind('file').map((b) => [label(b), b] as const))('%s is part of the file', (_l, block) => {
    expect(readFileSync(join(ROOT, block.args), 'utf8')).toContain(block.text);
  });
  test.each(byKind('unit').map((b) => [label(b), b] as const))('%s verifies cleanly', async (_l, block) => verifyUnit(block));
  test.each(byKind('usage').map((b) => [label(b), b] as const))('%s: the verb has every option shown', (_l, block) => checkUsage(block));
  test.each(byKind('transcript').map((b) => [label(b), b] as const))('%s: the session, run for real, prints what the README shows', async (_l, block) => runTranscript(block));
  test.each(byKind('commands').map((b) => [label(b), b] as const))('%s: every command line parses', (_l, block) => checkCommands(block));
  test.each(byKind('npm-scripts').map((b) => [label(b), b] as const))('%s: every npm script exists', (_l, block) => checkNpmScripts(block));
  test.each(byKind('event-log').map((b) => [label(b), b] as const))('%s: event log lines', (_l, block) => checkEventLog(block));
  test.each(byKind('yaml').map((b) => [label(b), b] as const))('%s parses as YAML', (_l, block) => {
    expect(parseYaml(block.text)).toBeTypeOf('object');
  });
  test('TypeScript blocks type-check against the package', () => {
    expect(byKind('typecheck').length).toBeGreaterThan(0);
    expect(typecheck(byKind('typecheck'))).toEqual([]);
  });
});
