/** `ctrx install REF`: put an image's bin/ (and lib/ with --libs) into containerd's managed opt directory. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from './context';
import { wrap } from '../internal/errdefs';

type Args = GlobalArgs & { ref?: string; libs: boolean; replace: boolean; path?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'install [ref]',
  describe: 'Install a new package',
  builder: (y) =>
    y
      .positional('ref', { type: 'string', describe: 'an image reference' })
      .option('libs', { alias: 'l', type: 'boolean', default: false, describe: 'Install libs from the image' })
      .option('replace', { alias: 'r', type: 'boolean', default: false, describe: 'Replace any binaries or libs in the opt directory' })
      .option('path', { type: 'string', describe: 'Set an optional install path other than the managed opt directory' }),
  handler: async (argv) => {
    const [ref] = requireArgs(argv.ref, 'image reference');
    const { installImage } = await import('../internal/install/install');
    await withClient(argv, async (c) => {
      await installImage(c, ref, { libs: argv.libs, replace: argv.replace, path: argv.path }).catch((e) => {
        throw wrap(e, `install ${ref}`);
      });
    });
  },
};
export default command;
