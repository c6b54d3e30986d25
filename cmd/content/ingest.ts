/**
 * `ctrx content ingest REF`: stdin into the content store with Content.Write,
 * in chunks as it arrives. An interrupted ingest stays active under REF and the
 * next run resumes it; a size or digest mismatch aborts it.
 */
import type { CommandModule } from 'yargs';
import { GlobalArgs, withClient } from '../context';
import { UsageError, RpcError } from '../../internal/errdefs';
import { abortIngest, writeBlob } from '../../internal/content/store';
import { parseDigest } from '../../internal/images/digest';

type Args = GlobalArgs & { ref?: string; 'expected-size': number; 'expected-digest': string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'ingest [ref]',
  describe: 'Accept content into the store',
  builder: (y) =>
    y
      .positional('ref', { type: 'string', describe: '<key>' })
      .option('expected-size', { type: 'number', default: 0, describe: 'Validate against provided size' })
      .option('expected-digest', { type: 'string', default: '', describe: 'Verify content against expected digest' }),
  handler: async (argv) => {
    const expected = argv['expected-digest'] ? parseDigest(argv['expected-digest']) : undefined;
    if (!argv.ref) throw new UsageError('must specify a transaction reference');
    const ref = argv.ref;
    await withClient(argv, async (c) => {
      try {
        await writeBlob(c, process.stdin, { ref, expected, size: argv['expected-size'] || undefined });
      } catch (err) {
        // Wrong bytes can never complete: drop them so a corrected run starts clean.
        if (!(err instanceof RpcError) || err.code !== 14 /* UNAVAILABLE */) await abortIngest(c, ref).catch(() => undefined);
        throw err;
      }
    });
  },
};
export default command;
