/** `ctrx content list [filter...]`: Content.List as ctr's tab-padded DIGEST SIZE AGE LABELS table. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, formatLabels, out, printJSON, withClient, withFormat } from '../context';
import { timestampToDate, toJSONValue } from '../../internal/api/json';
import { tabwriteText } from '../../internal/output/tabwriter';
import { humanDuration, humanSize } from '../../internal/progress/units';

type Args = GlobalArgs & { filters?: string[]; quiet: boolean; format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'list [filters..]',
  aliases: ['ls'],
  describe: 'List all blobs in the store',
  builder: (y) =>
    withFormat(
      y
        .positional('filters', { type: 'string', array: true })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the blob digest' }),
    ),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      const now = Date.now();
      const infos = [];
      for await (const m of c.serverStream('containerd.services.content.v1.Content', 'List', { filters: argv.filters ?? [] })) {
        infos.push(...m.info);
      }
      if (argv.format === 'json') {
        printJSON(infos.map((i) => toJSONValue('containerd.services.content.v1.Info', i)));
      } else if (argv.quiet) {
        out(infos.map((i) => `${i.digest}\n`).join(''));
      } else {
        let text = 'DIGEST\tSIZE\tAGE\tLABELS\n';
        for (const i of infos) {
          const age = now - (timestampToDate(i.created_at)?.getTime() ?? now);
          text += `${i.digest}\t${humanSize(Number(i.size))}\t${humanDuration(age)}\t${formatLabels(i.labels)}\n`;
        }
        out(tabwriteText(text, { minwidth: 1, tabwidth: 8, padding: 1, padchar: '\t' }));
      }
    });
  },
};
export default command;
