/** The first regular file called `name` in dirs, in order (an empty dir is "."); executable ones only when asked. */
import * as fs from 'fs';
import * as path from 'path';

export function firstFileIn(dirs: string[], name: string, executable = false): string | undefined {
  for (const dir of dirs) {
    const file = path.join(dir || '.', name);
    try {
      const st = fs.statSync(file);
      if (st.isFile() && (!executable || (st.mode & 0o111) !== 0)) return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}
