/** `ctrx shim state`: Task.State of the task (--task-id, else --id), as ctr's JSON of the Go reply. */
import type { CommandModule } from 'yargs';
import { out } from '../context';
import { type ShimArgs, apiVersionFlag, apiVersionOf, withShim } from './args';
import { goIndent, goJSONMessage } from '../../internal/events/go-json';

type Args = ShimArgs & { 'task-id'?: string; 'api-version'?: number; 'exec-id'?: string };

const command: CommandModule<ShimArgs, Args> = {
  command: 'state',
  describe: 'Get the state of all main process of the task',
  builder: (y) =>
    y
      .option('task-id', { alias: 't', type: 'string', describe: 'task ID' })
      .option('exec-id', { type: 'string', describe: 'an exec process of the task instead of its init process' })
      .option('api-version', apiVersionFlag),
  handler: async (argv) => {
    const version = apiVersionOf(argv['api-version']);
    const id = argv['task-id'] || argv.id || '';
    await withShim(
      argv,
      async (t) => {
        const r = await t.call('State', { id, exec_id: argv['exec-id'] ?? '' }, { request: 'StateRequest', response: 'StateResponse' });
        out(goIndent(goJSONMessage(`containerd.task.v${t.apiVersion}.StateResponse`, r, t.style)) + '\n');
      },
      version,
    );
  },
};
export default command;
