/**
 * What the coverage check (coverage.test.ts) allows ctrx to lack, each with
 * its reason. Every list is checked exactly: an entry that is no longer
 * needed fails the test as well as a gap that is not listed.
 */

/**
 * ctr command paths (and everything under them) not implemented in ctrx yet.
 * Shrink this as work lands: the test fails with "remove from PENDING" when
 * one of these exists in ctrx.
 */
export const PENDING: string[] = [];

/**
 * Flags ("<command path> --<name>") of commands that exist in ctrx but are
 * not finished yet; "remove from PENDING_FLAGS" when one lands.
 */
export const PENDING_FLAGS: string[] = [
  // ctr 1.6 shows --all-metadata on images pull (2.x hides it).
  'images pull --all-metadata',
  // ctr's images mount/unmount carry the registry flags (unused by them, but accepted).
  ...['mount', 'unmount'].flatMap((verb) =>
    ['skip-verify', 'k', 'plain-http', 'user', 'u', 'refresh', 'hosts-dir', 'tlscacert', 'tlscert', 'tlskey', 'http-dump', 'http-trace'].map(
      (f) => `images ${verb} --${f}`,
    ),
  ),
];

/** Command names ctrx deliberately does not have, anywhere in the tree. */
export const IGNORED_COMMANDS: { name: string; reason: string }[] = [
  { name: 'help', reason: "urfave/cli's built-in `help` command; ctrx shows the same with --help / -h on every command" },
];

/**
 * ctr flags (by command path and name, no dashes) that ctrx deliberately
 * lacks. Names are compared, not meanings: `shim exec -a` is ctr's --attach
 * but ctrx's global -a (--address), which ctrx accepts after the command
 * word too; there --attach has no short form.
 */
export const FLAG_EXCEPTIONS: { path: string; flag: string; reason: string }[] = [];
