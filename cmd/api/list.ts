/** `ctrx api list [service]`: every method ctrx knows, its streaming kind, and whether the daemon serves it. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, printJSON, withClient, withFormat } from '../context';
import { table } from '../../internal/output/tabwriter';

type Args = GlobalArgs & { service?: string; format: string; probe: boolean; quiet: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'list [service]',
  aliases: ['ls'],
  describe: 'List services and methods, and whether the connected daemon serves them',
  builder: (y) =>
    withFormat(
      y
        .positional('service', { type: 'string', describe: 'only this service (full or short name)' })
        .option('probe', { type: 'boolean', default: false, describe: 'Ask each service directly instead of reading Introspection.Plugins' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only service/method names' }),
    ),
  handler: async (argv) => {
    const { loadServices, resolveService } = await import('../../internal/client/api-catalog');
    const { servedMap } = await import('../../internal/client/served');
    const all = await loadServices();
    const services = argv.service ? [resolveService(all, argv.service)] : Object.values(all).sort((a, b) => a.name.localeCompare(b.name));
    const served = await withClient(argv, (c) => servedMap(c, services.map((s) => s.name), argv.probe));
    const rows = services.flatMap((s) =>
      Object.values(s.methods).map((m) => ({ service: s.name, method: m.name, kind: m.kind, request: m.request, response: m.response, served: served[s.name] })),
    );
    if (argv.format === 'json') printJSON(rows);
    else if (argv.quiet) out(rows.map((r) => `${r.service}/${r.method}\n`).join(''));
    else out(table(['SERVICE', 'METHOD', 'KIND', 'SERVED'], rows.map((r) => [r.service, r.method, r.kind, r.served]), { minwidth: 1, tabwidth: 8, padding: 2, padchar: ' ' }));
  },
};
export default command;
