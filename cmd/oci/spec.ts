/**
 * `ctrx oci spec`: the default OCI spec, as ctr prints it. ctr makes no daemon
 * call here and prints its own release's defaults; ctrx serves both lines: it
 * asks the daemon at --address for its version when a socket is there (one
 * quick Version call) and prints that line's spec, else 2.x's.
 */
import type { CommandModule } from 'yargs';
import * as fs from 'fs';
import { GlobalArgs, printJSON } from '../context';

type Args = GlobalArgs & { platform?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'spec',
  describe: 'See the output of the default OCI spec',
  builder: (y) => y.option('platform', { type: 'string', describe: "Platform of the spec to print (Examples: 'linux/arm64', 'windows/amd64')" }),
  handler: async (argv) => {
    const { parsePlatform } = await import('../../internal/platforms');
    const { DEFAULT_FLAVOUR, defaultSpecForPlatform } = await import('../../internal/oci/spec');
    const { canonicalSpec } = await import('../../internal/oci/spec-json');
    const platform = argv.platform ? parsePlatform(argv.platform) : undefined;
    const flavour = (await daemonFlavour(argv)) ?? DEFAULT_FLAVOUR;
    printJSON(canonicalSpec(defaultSpecForPlatform(flavour, argv.namespace, '', platform)));
  },
};
export default command;

// The daemon's flavour if one answers at --address within a second; undefined otherwise.
async function daemonFlavour(argv: Args) {
  const { socketPath } = await import('../../internal/client/address');
  try {
    if (!fs.statSync(socketPath(argv.address)).isSocket()) return undefined;
  } catch {
    return undefined;
  }
  const { Client } = await import('../../internal/client/client');
  const { flavourFor } = await import('../../internal/oci/spec');
  const client = new Client({ address: argv.address, namespace: argv.namespace, timeoutMs: 1000, connectTimeoutMs: 1000 });
  try {
    const v = await client.unary('containerd.services.version.v1.Version', 'Version', {});
    return flavourFor(v.version);
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}
