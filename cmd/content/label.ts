/** `ctrx content label DIGEST [k=v ...]`: Content.Update of the named labels (empty value removes); prints the labels. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, labelArgs, out, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';
import { info, setLabels } from '../../internal/content/store';
import { parseDigest } from '../../internal/images/digest';

type Args = GlobalArgs & { digest?: string; labels?: string[] };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'label [digest] [labels..]',
  describe: 'Add labels to content',
  builder: (y) => y.positional('digest', { type: 'string' }).positional('labels', { type: 'string', array: true }),
  handler: async (argv) => {
    if (!argv.digest) throw new UsageError('a digest must be provided');
    const digest = parseDigest(argv.digest);
    const labels = labelArgs(argv.labels);
    await withClient(argv, async (c) => {
      const res = Object.keys(labels).length ? await setLabels(c, digest, labels) : await info(c, digest);
      const pairs = Object.keys(res.labels).sort().map((k) => `${k}=${res.labels[k]}`);
      out(`${pairs.join(',')}\n`);
    });
  },
};
export default command;
