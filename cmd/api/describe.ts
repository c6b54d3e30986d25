/** `ctrx api describe NAME`: a service's methods, or a method's or message's shape. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, printJSON, withFormat } from '../context';
import { UsageError } from '../../internal/errdefs';

type Args = GlobalArgs & { name?: string; format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'describe [name]',
  describe: 'Show a service, a method (service/method) or a message: fields with numbers, types and labels',
  builder: (y) => withFormat(y.positional('name', { type: 'string', describe: 'full or unambiguous short name' }), ['text', 'json'], 'text'),
  handler: async (argv) => {
    if (!argv.name) throw new UsageError('a service, method or message name must be provided');
    const { loadServices } = await import('../../internal/client/api-catalog');
    const { describeName, shapeText } = await import('../../internal/client/describe');
    const shape = describeName(await loadServices(), argv.name);
    if (argv.format === 'json') printJSON(shape);
    else out(shapeText(shape));
  },
};
export default command;
