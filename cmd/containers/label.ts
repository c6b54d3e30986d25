/** `ctrx containers label`: set or clear labels (k= clears), then print all of them like ctr. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, labelArgs, out, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string; labels?: string[] };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'label [id] [labels..]',
  describe: 'Set and clear labels for a container',
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    const labels = labelArgs((argv.labels ?? []).map(String));
    await withClient(argv, async (client) => {
      const { getContainer } = await import('../../internal/containers/task');
      const c = await getContainer(client, id);
      const paths = Object.keys(labels).map((k) => `labels.${k}`);
      let result = c.labels;
      if (paths.length) {
        const res = await client.unary('containerd.services.containers.v1.Containers', 'Update', {
          container: { id, labels },
          update_mask: { paths },
        });
        result = res.container!.labels;
      }
      out(Object.entries(result ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',') + '\n');
    });
  },
};
export default command;
