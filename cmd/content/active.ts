/** `ctrx content active [regexp]`: Content.ListStatuses as ctr's REF SIZE AGE table. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, printJSON, withClient, withFormat } from '../context';
import { timestampToDate, toJSONValue } from '../../internal/api/json';
import { tabwriteText } from '../../internal/output/tabwriter';
import { humanDuration, humanSize } from '../../internal/progress/units';

type Args = GlobalArgs & { match?: string; format: string; t?: string; root: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'active [match]',
  describe: 'Display active transfers',
  builder: (y) =>
    withFormat(
      y
        .positional('match', { type: 'string', describe: 'regexp (a filter on the ingest refs)' })
        // Accepted for ctr compatibility; neither changes what is listed.
        .option('t', { type: 'string', default: process.env.CONTAINERD_FETCH_TIMEOUT ?? '0s', describe: 'Total timeout for fetch (accepted, unused)' })
        .option('root', { type: 'string', default: '/tmp/content', describe: 'Path to content store root (accepted, unused)' }),
    ),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      const now = Date.now();
      const res = await c.unary('containerd.services.content.v1.Content', 'ListStatuses', { filters: argv.match ? [argv.match] : [] });
      if (argv.format === 'json') {
        printJSON(res.statuses.map((s) => toJSONValue('containerd.services.content.v1.Status', s)));
        return;
      }
      let text = 'REF\tSIZE\tAGE\t\n';
      for (const s of res.statuses) {
        const age = now - (timestampToDate(s.started_at)?.getTime() ?? now);
        text += `${s.ref}\t${humanSize(Number(s.offset))}\t${humanDuration(age)}\t\n`;
      }
      out(tabwriteText(text, { minwidth: 1, tabwidth: 8, padding: 1, padchar: '\t' }));
    });
  },
};
export default command;
