/** placeholder until the daemon rig lands */
export async function stopAllFromRegistry(): Promise<void> {}
