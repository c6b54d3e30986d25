/** `ctrx plugins list [filters]`: Introspection.Plugins as ctr's table or detailed blocks. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, printJSON, withClient, withFormat } from '../context';
import { toJSONValue } from '../../internal/api/json';
import { table, tabwriteText } from '../../internal/output/tabwriter';
import { formatPlatform } from '../../internal/platforms';
import type { containerd } from '../../api/gen/types';

type Plugin = containerd.services.introspection.v1.Plugin;
type Args = GlobalArgs & { filters?: string[]; quiet: boolean; detailed: boolean; format: string };

/** gRPC code names as Go prints them (codes.Code.String()). */
const CODE_NAMES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists',
  'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange',
  'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];

const command: CommandModule<GlobalArgs, Args> = {
  command: 'list [filters..]',
  aliases: ['ls'],
  describe: 'Lists containerd plugins',
  builder: (y) =>
    withFormat(
      y
        .positional('filters', { type: 'string', array: true, describe: 'containerd filters, e.g. type==io.containerd.snapshotter.v1' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the plugin ids' })
        .option('detailed', { alias: 'd', type: 'boolean', default: false, describe: 'Print detailed information about each plugin' }),
    ),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      const { plugins } = await c.unary('containerd.services.introspection.v1.Introspection', 'Plugins', { filters: argv.filters ?? [] });
      if (argv.format === 'json') printJSON(plugins.map((p) => toJSONValue('containerd.services.introspection.v1.Plugin', p)));
      else if (argv.quiet) out(plugins.map((p) => p.id + '\n').join(''));
      else if (argv.detailed) out(detailed(plugins));
      else {
        const rows = plugins.map((p) => [p.type, p.id, platforms(p), status(p)]);
        out(table(['TYPE', 'ID', 'PLATFORMS', 'STATUS'], rows, { minwidth: 4, tabwidth: 8, padding: 4, padchar: ' ' }));
      }
    });
  },
};
export default command;

function platforms(p: Plugin): string {
  const set = [...new Set(p.platforms.map((pl) => formatPlatform(pl)))].sort();
  return set.length ? set.join(',') : '-';
}

function status(p: Plugin): string {
  if (!p.init_err) return 'ok';
  return p.init_err.message.includes('skip plugin') ? 'skip' : 'error';
}

// ctr writes these blocks with fmt.Fprintln, which puts a space between
// operands; the leading spaces in the values below come from there.
function detailed(plugins: Plugin[]): string {
  let text = '';
  plugins.forEach((p, i) => {
    if (i > 0) text += '\t\t\t\n';
    text += `Type:\t ${p.type}\n`;
    text += `ID:\t ${p.id}\n`;
    if (p.requires.length) {
      text += 'Requires:\t\n';
      for (const r of p.requires) text += `\t ${r}\n`;
    }
    if (p.platforms.length) text += `Platforms:\t ${platforms(p)}\n`;
    const exports = Object.keys(p.exports).sort();
    if (exports.length) {
      text += 'Exports:\t\n';
      for (const k of exports) text += `\t ${k} \t ${p.exports[k]}\n`;
    }
    if (p.capabilities.length) text += `Capabilities:\t ${p.capabilities.join(',')}\n`;
    if (p.init_err) {
      text += 'Error:\t\n';
      text += `\t Code:\t ${CODE_NAMES[p.init_err.code] ?? `Code(${p.init_err.code})`}\n`;
      text += `\t Message:\t ${p.init_err.message}\n`;
    }
  });
  return tabwriteText(text, { minwidth: 4, tabwidth: 8, padding: 4, padchar: ' ' });
}
