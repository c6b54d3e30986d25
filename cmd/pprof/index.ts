/** `ctrx pprof`: placeholder until its verbs land. */
import { defineGroup } from '../group';

export default defineGroup({
  command: 'pprof',
  
  describe: 'Provide golang pprof outputs for containerd',
  verbs: [],
});
