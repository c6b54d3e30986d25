/** `ctrx shim pprof`: Go pprof profiles from a shim's debug socket (shims started with containerd at debug level). */
import { defineGroup } from '../group';
import { pprofVerbs, unglobal } from '../pprof/verbs';
import { UsageError } from '../../internal/errdefs';

export default defineGroup({
  command: 'pprof',
  describe: 'Provide golang pprof outputs for containerd-shim',
  flags: (y) => unglobal(y, 'debug'),
  verbs: pprofVerbs(async (argv) => {
    const id = argv.id as string | undefined;
    if (!id) throw new UsageError('shim ID (--id) must be specified');
    const { shimSocket } = await import('../../internal/shim/address');
    return shimSocket(argv.address, argv.namespace, id, true);
  }),
});
