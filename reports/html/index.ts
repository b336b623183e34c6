/** HTML reports: one self-contained page per result.json. */
export { renderReport } from './render.ts';
export { writeReport } from './write.ts';
