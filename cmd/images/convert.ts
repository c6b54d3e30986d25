/** `ctrx images convert SRC DST`: --uncompress and/or --oci, for the host platform, --platform ones or all; prints the new digest. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';
import { defaultPlatform, parsePlatform } from '../../internal/platforms';
import { convertImage } from '../../internal/images/convert';

type Args = GlobalArgs & { source?: string; target?: string; uncompress: boolean; oci: boolean; platform?: string[]; 'all-platforms': boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'convert [source] [target]',
  describe: 'Convert an image',
  builder: (y) =>
    y
      .positional('source', { type: 'string', describe: '<source_ref>' })
      .positional('target', { type: 'string', describe: '<target_ref>' })
      .option('uncompress', { type: 'boolean', default: false, describe: 'Convert tar.gz layers to uncompressed tar layers' })
      .option('oci', { type: 'boolean', default: false, describe: 'Convert Docker media types to OCI media types' })
      .option('platform', { type: 'string', array: true, describe: 'Convert content for a specific platform' })
      .option('all-platforms', { type: 'boolean', default: false, describe: 'Convert content for all platforms' }),
  handler: async (argv) => {
    if (!argv.source || !argv.target) throw new UsageError('src and target image need to be specified');
    const platforms = (argv.platform ?? []).map((p) => {
      try {
        return parsePlatform(p);
      } catch (e) {
        throw new UsageError(`invalid platform ${JSON.stringify(p)}: ${(e as Error).message}`);
      }
    });
    await withClient(argv, async (c) => {
      const target = await convertImage(c, argv.source!, argv.target!, {
        uncompress: argv.uncompress,
        oci: argv.oci,
        platforms: platforms.length ? platforms : [defaultPlatform()],
        allPlatforms: argv['all-platforms'],
      });
      out(`${target.digest}\n`);
    });
  },
};
export default command;
