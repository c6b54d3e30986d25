/** ctrx's version, and the git revision when the bundle was built (set by scripts/bundle.js). */
declare const CTRX_REVISION: string | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = require('../package.json').version;
export const REVISION: string = typeof CTRX_REVISION === 'string' ? CTRX_REVISION : '';
