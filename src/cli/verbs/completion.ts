// completion bash|zsh: a completion script built from the same command table the parser uses.
import type { Io, Options } from '../command.js';
import { GLOBAL_OPTIONS, VERBS } from '../verbs.js';
import { EXIT_SUCCESS, EXIT_USAGE } from '../../protocol/exit-codes.js';

const flagsOf = (flags: string) => (/^(?:(-[A-Za-z]), )?(--[a-z0-9-]+)/.exec(flags) ?? []).slice(1).filter(Boolean) as string[];

export function completionScript(shell: 'bash' | 'zsh'): string {
  const verbs = VERBS.map((v) => v.name).join(' ');
  const globals = GLOBAL_OPTIONS.flatMap((o) => flagsOf(o.flags)).join(' ');
  const cases = VERBS.filter((v) => (v.options ?? []).length > 0)
    .map((v) => `    ${v.name}) opts="$opts ${(v.options ?? []).flatMap((o) => flagsOf(o.flags)).join(' ')}" ;;`)
    .join('\n');
  const bash = `_unitvisor() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" verb="" w opts="${globals}"
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do case "$w" in -*) ;; *) verb="$w"; break ;; esac; done
  case "$verb" in
${cases}
  esac
  if [[ -z "$verb" && "$cur" != -* ]]; then COMPREPLY=( $(compgen -W "${verbs}" -- "$cur") ); return; fi
  if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "$opts" -- "$cur") ); return; fi
  COMPREPLY=( $(compgen -W "$(unitvisor list-units --all 2>/dev/null | awk 'NR > 1 { u = ($1 == "●") ? $2 : $1; if (u ~ /[.]/) print u }')" -- "$cur") )
}
complete -F _unitvisor unitvisor
`;
  return shell === 'bash' ? bash : `#compdef unitvisor\nautoload -U bashcompinit && bashcompinit\n${bash}`;
}

export async function completion(args: string[], _o: Options, io: Io): Promise<number> {
  const shell = args[0];
  if (shell !== 'bash' && shell !== 'zsh') {
    io.err(`Unknown shell '${shell ?? ''}' (expected bash or zsh).`);
    return EXIT_USAGE;
  }
  io.out(completionScript(shell).replace(/\n$/, ''));
  return EXIT_SUCCESS;
}
