/** The checkout's root directory (with a trailing slash): where processes and containers run the project from. */
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
