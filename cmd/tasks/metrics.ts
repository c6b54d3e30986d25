/** `ctrx tasks metrics` (metric): cgroup v1/v2 metrics as ctr's table or Go's JSON. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, requireArgs, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';

type Args = GlobalArgs & { id?: string; format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'metrics [id]',
  aliases: ['metric'],
  describe: 'Get a single data point of metrics for a task with the built-in Linux runtime',
  builder: (y) => y.option('format', { type: 'string', default: 'table', describe: '"table" or "json"' }) as never,
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    if (argv.format !== 'table' && argv.format !== 'json') throw new UsageError('format must be table or json');
    await withClient(argv, async (client) => {
      const { getContainer, getTask } = await import('../../internal/containers/task');
      const { decodeMetrics, metricsJSON, metricRows } = await import('../../internal/containers/metrics');
      const { goTimeString } = await import('../../internal/containers/go-json');
      await getContainer(client, id);
      await getTask(client, id);
      const res = await client.unary('containerd.services.tasks.v1.Tasks', 'Metrics', { filters: [`id==${id}`] });
      const m = res.metrics[0];
      if (!m) throw new Error(`no metrics received for ${id}`);
      if (!m.data) throw new Error('cannot convert metric data to cgroups.Metrics');
      const decoded = decodeMetrics(m.data);
      if (argv.format === 'json') {
        out(metricsJSON(decoded.data) + '\n');
        return;
      }
      const v = await client.unary('containerd.services.version.v1.Version', 'Version', {});
      // ctr prints the Timestamp message with %s: 1.6's gogo type as a Go time, 2.x's as protobuf text.
      const ts = m.timestamp ?? { seconds: '0', nanos: 0 };
      const when = /^v?1\./.test(v.version) ? goTimeString(ts) : `seconds:${ts.seconds} nanos:${ts.nanos}`;
      const { tabwriteText } = await import('../../internal/output/tabwriter');
      let text = `ID\tTIMESTAMP\t\n${m.id}\t${when}\t\n\nMETRIC\tVALUE\t\n`;
      for (const [k, val] of metricRows(decoded)) text += `${k}\t${val}\t\n`;
      out(tabwriteText(text, { minwidth: 1, tabwidth: 8, padding: 4, padchar: ' ' }));
    });
  },
};
export default command;
