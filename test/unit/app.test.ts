/**
 * The lazy command table in cmd/app.ts must say what the command modules say:
 * names (with positionals), aliases and descriptions.
 */
import { COMMANDS } from '../../cmd/app';

describe('command table', () => {
  it.each(COMMANDS.map((c) => [c.command, c] as const))('%s matches its module', (_name, entry) => {
    const mod = entry.load();
    expect(entry.command).toBe(mod.command);
    expect(entry.aliases ?? []).toEqual(mod.aliases ?? []);
    expect(entry.hidden ? false : entry.describe).toBe(mod.describe);
  });
});
