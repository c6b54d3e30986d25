/** `ctrx shim`: a shim's task API over ttrpc, straight to its socket (no containerd in between). */
import { defineGroup } from '../group';
import start from './start';
import remove from './delete';
import exec from './exec';
import state from './state';
import shutdown from './shutdown';
import pprof from './pprof';

export default defineGroup({
  command: 'shim',
  describe: 'Interact with a shim directly',
  flags: (y) =>
    y
      .option('id', { type: 'string', global: true, describe: 'shim ID' })
      .option('shim-address', { type: 'string', global: true, describe: 'shim address (default: computed from shim ID)' }),
  verbs: [remove, exec, start, state, shutdown, pprof],
});
