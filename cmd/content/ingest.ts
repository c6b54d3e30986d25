/**
 * `ctrx content ingest REF`: stdin into the content store with Content.Write,
 * in chunks as it arrives (no lease unless --lease, as with ctr: the committed
 * blob is unreferenced). Ctrl-C puts the partial ingest under REF into a new
 * lease that expires in 24 hours, and the next run resumes it; a size or
 * digest mismatch aborts it.
 */
import type { CommandModule } from 'yargs';
import { GlobalArgs, withClient } from '../context';
import { UsageError, RpcError } from '../../internal/errdefs';
import { abortIngest, writeBlob } from '../../internal/content/store';
import { parseDigest } from '../../internal/images/digest';
import { DEFAULT_LEASE_MS, GC_EXPIRE_LABEL, expiryLabel, randomLeaseID } from '../../internal/leases/temp-lease';
import { InterruptedError, interrupted, interruptible } from '../../internal/util/interrupt';
import type { Client } from '../../internal/client/client';

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
    await withClient(argv, (c) =>
      interruptible(
        c,
        `ingest ${ref}`,
        async (onAbort) => {
          onAbort(() => process.stdin.destroy());
          try {
            await writeBlob(c, process.stdin, { ref, expected, size: argv['expected-size'] || undefined });
          } catch (err) {
            if (interrupted()) throw new InterruptedError(`ingest ${ref}`, await keepIngest(c, ref));
            // Wrong bytes can never complete: drop them so a corrected run starts clean
            // (not when the daemon is unreachable: then it is resumed).
            if (!(err instanceof RpcError && err.code === 14 /* UNAVAILABLE */)) await abortIngest(c, ref).catch(() => undefined);
            throw err;
          }
        },
        { keepClient: true },
      ),
    );
  },
};
export default command;

/** Hold an interrupted ingest in an expiring lease (or the --lease already given); returns the lease ID. */
async function keepIngest(c: Client, ref: string): Promise<string | undefined> {
  if (c.lease) return c.lease;
  const id = randomLeaseID();
  try {
    await c.unary('containerd.services.leases.v1.Leases', 'Create', { id, labels: { [GC_EXPIRE_LABEL]: expiryLabel(DEFAULT_LEASE_MS) } });
    await c.unary('containerd.services.leases.v1.Leases', 'AddResource', { id, resource: { id: ref, type: 'ingests' } });
    return id;
  } catch {
    return undefined;
  }
}
