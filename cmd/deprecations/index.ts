/** `ctrx deprecations`: the daemon's deprecation warnings (Introspection.Server). */
import { defineGroup } from '../group';
import list from './list';

export default defineGroup({
  command: 'deprecations',
  describe: 'Deprecation warnings of the daemon',
  verbs: [list],
});
