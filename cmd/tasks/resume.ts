/** `ctrx tasks resume`: Tasks.Resume. */
import { taskStateCommand } from './pause-resume';

export default taskStateCommand('Resume', 'Resume a paused container');
