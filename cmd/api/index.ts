/** `ctrx api`: containerd's and CRI's gRPC API, listed, described and called directly. */
import { defineGroup } from '../group';
import list from './list';
import describe from './describe';
import call from './call';

export default defineGroup({
  command: 'api',
  describe: "See and call containerd's gRPC API directly",
  verbs: [list, describe, call],
});
