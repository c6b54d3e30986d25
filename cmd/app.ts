/**
 * The yargs app: global flags, strict parsing, and every command group
 * registered by explicit import. Command modules are small; what they need
 * from the network or the disk they import when they run.
 */
import yargs from 'yargs/yargs';
import type { Argv } from 'yargs';
import { normalizeArgs, withGlobalFlags } from './context';
import { haltAtFirstPositional } from '../internal/container-flags';
import { helpWordsToFlag } from './help-words';
import { UsageError } from '../internal/errdefs';
import { VERSION } from './build-info';
import type { CommandModule } from 'yargs';

/** What yargs needs to route to a command, without loading the command's code. */
export interface CommandEntry {
  command: string;
  aliases?: string[];
  describe: string;
  hidden?: boolean;
  /** The command module itself, loaded only when the command (or its help) is used. */
  load: () => CommandModule;
  /** A group of verbs (where ctr also has a `help` subcommand). */
  group?: boolean;
}

// ctr's top-level order (app/main.go), then what ctrx adds. Each module is
// required on use: esbuild turns these require() calls into lazy module
// initialisers, so a command evaluates only its own group's code and imports
// (test/unit/app.test.ts checks this table against the modules).
/* eslint-disable @typescript-eslint/no-require-imports */
export const COMMANDS: CommandEntry[] = [
  { command: 'plugins', aliases: ['plugin'], describe: 'Provides information about containerd plugins', load: () => require('./plugins').default, group: true },
  { command: 'version', describe: 'Print the client and server versions', load: () => require('./version').default },
  { command: 'containers', aliases: ['c', 'container'], describe: 'Manage containers', load: () => require('./containers').default, group: true },
  { command: 'content', describe: 'Manage content', load: () => require('./content').default, group: true },
  { command: 'events [filters..]', aliases: ['event'], describe: 'Display containerd events', load: () => require('./events').default },
  { command: 'images', aliases: ['image', 'i'], describe: 'Manage images', load: () => require('./images').default, group: true },
  { command: 'leases', describe: 'Manage leases', load: () => require('./leases').default, group: true },
  { command: 'namespaces', aliases: ['namespace', 'ns'], describe: 'Manage namespaces', load: () => require('./namespaces').default, group: true },
  { command: 'pprof', describe: 'Provide golang pprof outputs for containerd', load: () => require('./pprof').default, group: true },
  { command: 'run [args..]', describe: 'Run a container', load: () => require('./run').default },
  { command: 'snapshots', aliases: ['snapshot'], describe: 'Manage snapshots', load: () => require('./snapshots').default, group: true },
  { command: 'tasks', aliases: ['t', 'task'], describe: 'Manage tasks', load: () => require('./tasks').default, group: true },
  { command: 'install [ref]', describe: 'Install a new package', load: () => require('./install').default },
  { command: 'oci', describe: 'OCI tools', load: () => require('./oci').default, group: true },
  { command: 'sandboxes', aliases: ['sandbox', 'sb', 's'], describe: 'Manage sandboxes', load: () => require('./sandboxes').default, group: true },
  { command: 'info', describe: 'Print the server info', load: () => require('./info').default },
  { command: 'deprecations', describe: 'Deprecation warnings of the daemon', load: () => require('./deprecations').default, group: true },
  { command: 'shim', describe: 'Interact with a shim directly', load: () => require('./shim').default, group: true },
  { command: 'api', describe: "See and call containerd's gRPC API directly", load: () => require('./api').default, group: true },
  {
    command: 'shell',
    describe: 'Run many commands over one connection: interactive with history and completion, or command lines from stdin',
    load: () => require('./shell').default,
  },
  { command: 'completion [shell]', describe: 'Print a completion script for bash or zsh (source <(ctrx completion bash))', load: () => require('./completion').default },
  { command: '__complete', describe: '', hidden: true, load: () => require('./completion').completeCommand },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** Every name and alias of the command groups. */
const GROUP_WORDS: ReadonlySet<string> = new Set(COMMANDS.filter((e) => e.group).flatMap((e) => [e.command.split(' ')[0], ...(e.aliases ?? [])]));

/** A yargs module that defers to the real one for its flags and its work. */
function lazyCommand(entry: CommandEntry): CommandModule {
  return {
    command: entry.command,
    aliases: entry.aliases,
    describe: entry.hidden ? false : entry.describe,
    builder: (y: Argv) => {
      const b = entry.load().builder;
      if (typeof b === 'function') return b(y) as Argv;
      return b ? y.options(b) : y;
    },
    handler: (argv) => entry.load().handler(argv),
  };
}

/** Build the parser for one invocation. */
export function buildApp(args: string[]): Argv {
  const app = yargs(normalizeArgs(haltAtFirstPositional(helpWordsToFlag(args, GROUP_WORDS))))
    .scriptName('ctrx')
    .usage('ctrx [global options] command [command options] [arguments...]\n\nA debugging client for containerd: ctr\'s commands over containerd\'s gRPC API.')
    .parserConfiguration({
      // Repeatable flags (--label a --label b) collect into arrays, and an array
      // flag takes one value at a time, as ctr's slice flags do.
      'duplicate-arguments-array': true,
      'greedy-arrays': false,
      'strip-aliased': true,
      'camel-case-expansion': false,
      'boolean-negation': false,
    })
    .strict()
    .help('help')
    .alias('help', 'h')
    .version('version', 'Print the version', `ctrx ${VERSION}`)
    .alias('version', 'v')
    .wrap(Math.min(120, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      const text = usageMessage(msg);
      throw text.startsWith("incorrect usage") ? new Error(text) : new UsageError(text);
    });
  withGlobalFlags(app);
  for (const entry of COMMANDS) app.command(lazyCommand(entry) as never);
  return app.demandCommand(1, 'no command given; see ctrx --help');
}

// yargs's wording, in ctr's terms.
function usageMessage(msg: string): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg);
  if (unknown) return `incorrect usage: unknown command, flag or argument ${unknown[1].split(', ').map((a) => JSON.stringify(a)).join(', ')}; see --help`;
  return msg;
}
