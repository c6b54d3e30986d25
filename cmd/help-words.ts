/**
 * ctr's `help` (`h`) subcommand, at the top and in every group: `ctrx help`,
 * `ctrx help images pull`, `ctrx images help`, `ctrx images h pull` all show
 * that command's --help, as urfave/cli's help command does for ctr.
 */

// Global flags that take a value in the next word (a `--flag=value` word needs no skipping).
const VALUE_FLAGS = new Set(['-a', '--address', '-n', '--namespace', '--timeout', '--connect-timeout']);
const HELP = new Set(['help', 'h']);

/** Rewrite a help word in command position into --help; `groups` are the command words that hold verbs (with aliases). */
export function helpWordsToFlag(args: readonly string[], groups: ReadonlySet<string>): string[] {
  const words: number[] = [];
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (VALUE_FLAGS.has(a)) i++;
      continue;
    }
    words.push(i);
  }
  const [first, second] = words;
  if (first === undefined) return [...args];
  if (HELP.has(args[first])) return [...args.slice(0, first), ...args.slice(first + 1), '--help'];
  if (second !== undefined && groups.has(args[first]) && HELP.has(args[second])) {
    return [...args.slice(0, second), ...args.slice(second + 1), '--help'];
  }
  return [...args];
}
