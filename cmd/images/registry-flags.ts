/** ctr's RegistryFlags on mount/unmount: accepted (ctr ignores them there too) and hidden from help. */
import type { Argv } from 'yargs';

/** Add the ten registry flags as accepted, unused, hidden options. */
export function acceptRegistryFlags<T>(y: Argv<T>): Argv<T> {
  return y
    .option('skip-verify', { alias: 'k', type: 'boolean', hidden: true })
    .option('plain-http', { type: 'boolean', hidden: true })
    .option('user', { alias: 'u', type: 'string', hidden: true })
    .option('refresh', { type: 'string', hidden: true })
    .option('hosts-dir', { type: 'string', hidden: true })
    .option('tlscacert', { type: 'string', hidden: true })
    .option('tlscert', { type: 'string', hidden: true })
    .option('tlskey', { type: 'string', hidden: true })
    .option('http-dump', { type: 'boolean', hidden: true })
    .option('http-trace', { type: 'boolean', hidden: true }) as Argv<T>;
}
