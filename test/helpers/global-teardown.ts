/** Jest global teardown: stop every daemon and registry the run started. */
export default async function globalTeardown(): Promise<void> {
  const { stopAllFromRegistry } = await import('./rig');
  await stopAllFromRegistry();
}
