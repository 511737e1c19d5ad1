// `completion bash`: a script from the command table that real bash loads and completes verbs and options with.
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { CLI } from '../helpers/start-daemon.js';
import { VERBS } from '../../src/cli/verbs.js';

const complete = (words: string[]) =>
  execFileSync('bash', ['-c', `unitvisor(){ "${process.execPath}" "${CLI}" "$@"; }; source <(unitvisor completion bash); COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _unitvisor; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' })
    .trim()
    .split('\n');

test('bash completes every verb of the table, global options and a verb’s own options', () => {
  expect(complete(['unitvisor', '']).sort()).toEqual(VERBS.map((v) => v.name).sort());
  expect(complete(['unitvisor', 'is-s'])).toEqual(['is-system-running']);
  expect(complete(['unitvisor', 'analyze', '--o'])).toEqual(['--offline', '--output', '--order']);
  expect(complete(['unitvisor', 'start', '--dry'])).toEqual(['--dry-run']);
});

test('zsh gets the same through bashcompinit; other shells are a usage error', () => {
  expect(execFileSync(process.execPath, [CLI, 'completion', 'zsh'], { encoding: 'utf8' })).toMatch(/^#compdef unitvisor\nautoload -U bashcompinit && bashcompinit\n/);
  expect(() => execFileSync(process.execPath, [CLI, 'completion', 'fish'], { stdio: 'ignore' })).toThrow();
});
