/**
 * `ctrx completion bash|zsh` prints a completion script; the hidden
 * `ctrx __complete` answers it: commands, flags and live IDs, one per line.
 */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, rawArgs, withClient } from './context';
import { UsageError } from '../internal/errdefs';

type Args = GlobalArgs & { shell?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'completion [shell]',
  describe: 'Print a completion script for bash or zsh (source <(ctrx completion bash))',
  builder: (y) => y.positional('shell', { type: 'string', choices: ['bash', 'zsh'], describe: 'bash or zsh' }),
  handler: async (argv) => {
    const shell = argv.shell ?? 'bash';
    const { bashScript, zshScript } = await import('../internal/completion/scripts');
    out(shell === 'zsh' ? zshScript('ctrx') : bashScript('ctrx'));
  },
};
export default command;

/** Candidates for the last of `words` (the words after `ctrx`), with live IDs asked of the daemon argv names. */
export async function completeWords(argv: GlobalArgs, words: string[]): Promise<string[]> {
  const { complete } = await import('../internal/completion/complete');
  const { liveIds } = await import('../internal/completion/live');
  const { buildApp } = await import('./app');
  return complete(words.length ? words : [''], {
    app: buildApp([]),
    live: async (kind, seen) => {
      const a: GlobalArgs = {
        ...argv,
        address: seen.address ?? argv.address,
        namespace: seen.namespace ?? argv.namespace,
        timeout: '3s',
        trace: false,
      };
      try {
        return await withClient(a, (c) => liveIds(c, kind, seen));
      } catch {
        return []; // completion never fails loudly
      }
    },
  });
}

/** The hidden `__complete [--line] -- WORDS...|LINE` used by the completion scripts. */
export const completeCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: '__complete',
  describe: false,
  builder: (y) => y.strict(false),
  handler: async (argv) => {
    const raw = rawArgs();
    let rest = raw.slice(raw.indexOf('__complete') + 1);
    const dashes = rest.indexOf('--');
    const opts = dashes < 0 ? [] : rest.slice(0, dashes);
    rest = dashes < 0 ? rest : rest.slice(dashes + 1);
    if (opts.some((o) => o !== '--line')) throw new UsageError(`__complete: unknown option ${opts.find((o) => o !== '--line')}`);
    let words = rest;
    if (opts.includes('--line')) {
      const { completionWords } = await import('../internal/shell/split');
      words = completionWords(rest[0] ?? '').slice(1);
      if (!words.length) return;
    }
    let cands = await completeWords(argv, words);
    const breaks = process.env.CTRX_COMP_WORDBREAKS;
    if (breaks && opts.includes('--line')) {
      const { trimForWordbreaks } = await import('../internal/completion/scripts');
      cands = trimForWordbreaks(words[words.length - 1] ?? '', cands, breaks);
    }
    out(cands.map((c) => c + '\n').join(''));
  },
};
