/**
 * Shell completion scripts. Both hand the line back to `ctrx __complete`, which
 * splits it like a shell, walks the command tree and asks the daemon for IDs,
 * so that the scripts stay small and always match the binary.
 */

/** bash: completes the text before the cursor; falls back to file names when ctrx offers nothing. */
export function bashScript(prog: string): string {
  return `# ctrx completion for bash. Load it with:  source <(${prog} completion bash)
_ctrx_complete() {
  local IFS=$'\\n'
  COMPREPLY=( $(CTRX_COMP_WORDBREAKS="$COMP_WORDBREAKS" "\${COMP_WORDS[0]}" __complete --line -- "\${COMP_LINE:0:COMP_POINT}" 2>/dev/null) )
}
complete -o default -F _ctrx_complete ${prog}
`;
}

/** zsh: completes the words up to the cursor; falls back to file names. */
export function zshScript(prog: string): string {
  return `#compdef ${prog}
# ctrx completion for zsh. Load it with:  source <(${prog} completion zsh)
_ctrx_complete() {
  local -a cands
  cands=("\${(@f)$("\${words[1]}" __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  cands=("\${(@)cands:#}")
  if (( \${#cands} )); then
    compadd -Q -- "\${(@)cands}"
  else
    _files
  fi
}
if (( $+functions[compdef] )); then
  compdef _ctrx_complete ${prog}
else
  autoload -Uz compinit && compinit && compdef _ctrx_complete ${prog}
fi
`;
}

/**
 * bash splits words at COMP_WORDBREAKS (':' and '=' among them), and replaces
 * only the part of the word after the last break: drop that much from each
 * candidate so that image names and digests complete whole.
 */
export function trimForWordbreaks(current: string, candidates: string[], wordbreaks: string): string[] {
  let cut = -1;
  for (const ch of wordbreaks) if (ch !== ' ' && ch !== '\t' && ch !== '\n') cut = Math.max(cut, current.lastIndexOf(ch));
  if (cut < 0) return candidates;
  return candidates.map((c) => c.slice(cut + 1));
}
