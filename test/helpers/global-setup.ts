/** Jest global setup: nothing heavy here; daemon tests start their daemons on first use (test/helpers/daemons.ts). */
export default async function globalSetup(): Promise<void> {
  process.env.CTRX_TEST_RUN_ID ??= `${process.pid}`;
}
