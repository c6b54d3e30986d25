/** `ctrx api`: placeholder until its verbs land. */
import { defineGroup } from '../group';

export default defineGroup({
  command: 'api',
  
  describe: "See and call containerd's gRPC API directly",
  verbs: [],
});
