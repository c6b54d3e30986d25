/** `ctrx deprecations list`: warnings the daemon reports, as ctr's table or JSON. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, printJSON, withClient } from '../context';
import { timestampToRFC3339 } from '../../internal/api/json';
import { table } from '../../internal/output/tabwriter';
import { atLeast, parseVersion } from '../../internal/client/features';

type Args = GlobalArgs & { format?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'list',
  describe: 'Print warnings for deprecations',
  builder: (y) => y.option('format', { type: 'string', choices: ['default', 'table', 'json'], default: 'default', describe: "Output format ('default' or 'json')" }),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      const [server, version] = await Promise.all([
        c.unary('containerd.services.introspection.v1.Introspection', 'Server', {}),
        c.unary('containerd.services.version.v1.Version', 'Version', {}),
      ]);
      // Daemons before 1.6.25 and 1.7.9 do not report deprecations: say so
      // rather than print an empty list that looks like "nothing deprecated".
      const v = parseVersion(version.version);
      const reports = v[0] >= 2 || (v[1] === 6 && atLeast(v, [1, 6, 25])) || atLeast(v, [1, 7, 9]);
      if (!reports) {
        throw new Error(`deprecations list needs containerd 1.6.25, 1.7.9 or newer; the daemon at ${c.address} runs ${version.version}, which does not report deprecations`);
      }
      const warnings = server.deprecations.map((d) => ({
        id: d.id,
        message: d.message,
        lastOccurrence: timestampToRFC3339(d.last_occurrence),
      }));
      if (argv.format === 'json') {
        printJSON(warnings);
        return;
      }
      if (!warnings.length) return;
      const rows = warnings.map((w) => [w.id, w.lastOccurrence ?? '', w.message]);
      out(table(['ID', 'LAST OCCURRENCE', 'MESSAGE'], rows, { minwidth: 4, tabwidth: 8, padding: 4, padchar: ' ' }));
    });
  },
};
export default command;
