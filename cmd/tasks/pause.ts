/** `ctrx tasks pause`: Tasks.Pause. */
import { taskStateCommand } from './pause-resume';

export default taskStateCommand('Pause', 'Pause an existing container');
