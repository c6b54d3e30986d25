/**
 * The yargs app: global flags, strict parsing, and every command group
 * registered by explicit import. Command modules are small; what they need
 * from the network or the disk they import when they run.
 */
import yargs from 'yargs/yargs';
import type { Argv } from 'yargs';
import { normalizeArgs, withGlobalFlags } from './context';
import { haltAtFirstPositional } from '../internal/container-flags';
import { UsageError } from '../internal/errdefs';
import { VERSION } from './build-info';
import pluginsCommand from './plugins';
import versionCommand from './version';
import containersCommand from './containers';
import contentCommand from './content';
import eventsCommand from './events';
import imagesCommand from './images';
import leasesCommand from './leases';
import namespacesCommand from './namespaces';
import pprofCommand from './pprof';
import runCommand from './run';
import snapshotsCommand from './snapshots';
import tasksCommand from './tasks';
import installCommand from './install';
import ociCommand from './oci';
import sandboxesCommand from './sandboxes';
import infoCommand from './info';
import deprecationsCommand from './deprecations';
import shimCommand from './shim';
import apiCommand from './api';
import shellCommand from './shell';
import completionCommand, { completeCommand } from './completion';

// ctr's top-level order (app/main.go), then what ctrx adds.
const COMMANDS = [
  pluginsCommand, versionCommand, containersCommand, contentCommand, eventsCommand, imagesCommand,
  leasesCommand, namespacesCommand, pprofCommand, runCommand, snapshotsCommand, tasksCommand,
  installCommand, ociCommand, sandboxesCommand, infoCommand, deprecationsCommand, shimCommand,
  apiCommand, shellCommand, completionCommand, completeCommand,
];

/** Build the parser for one invocation. */
export function buildApp(args: string[]): Argv {
  const app = yargs(normalizeArgs(haltAtFirstPositional(args)))
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
  for (const cmd of COMMANDS) app.command(cmd as never);
  return app.demandCommand(1, 'no command given; see ctrx --help');
}

// yargs's wording, in ctr's terms.
function usageMessage(msg: string): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg);
  if (unknown) return `incorrect usage: unknown command, flag or argument ${unknown[1].split(', ').map((a) => JSON.stringify(a)).join(', ')}; see --help`;
  return msg;
}
