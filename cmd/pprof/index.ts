/** `ctrx pprof`: Go pprof profiles from containerd's debug socket (HTTP over a unix socket, no gRPC). */
import { defineGroup } from '../group';
import { pprofVerbs, unglobal } from './verbs';

export const DEFAULT_DEBUG_SOCKET = '/run/containerd/debug.sock';

export default defineGroup({
  command: 'pprof',
  describe: 'Provide golang pprof outputs for containerd',
  // The verbs' --debug is pprof's level (a number), not ctrx's global switch:
  // un-globalise it here so that each verb can define its own.
  flags: (y) =>
    unglobal(y, 'debug').option('debug-socket', { alias: 'd', type: 'string', global: true, default: DEFAULT_DEBUG_SOCKET, describe: "Socket path for containerd's debug server" }),
  verbs: pprofVerbs((argv) => String(argv['debug-socket'])),
});
