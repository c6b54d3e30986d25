/** `ctrx content get DIGEST`: stream a blob to stdout (bounded memory, waits for stdout to drain). */
import type { CommandModule } from 'yargs';
import { GlobalArgs, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';
import { info, readBlob } from '../../internal/content/store';
import { parseDigest } from '../../internal/images/digest';
import { writeWithBackpressure } from '../../internal/archive/stream-util';

type Args = GlobalArgs & { digests?: string[] };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'get [digests..]',
  describe: 'Get the data for an object',
  builder: (y) => y.positional('digests', { type: 'string', array: true }),
  handler: async (argv) => {
    const first = argv.digests?.[0];
    if (!first) throw new UsageError('a digest must be provided');
    const dgst = parseDigest(first);
    await withClient(argv, async (c) => {
      await info(c, dgst); // ctr's ReaderAt asks Info first: a missing blob fails before any output
      for await (const chunk of readBlob(c, dgst)) await writeWithBackpressure(process.stdout, chunk);
    });
  },
};
export default command;
