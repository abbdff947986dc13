// Level names for display, from the one definition in the pure common layer. That module is free
// of zod, so the renderer bundle does not pull the schema library in just to print a badge.
export { LEVEL_NAMES, levelName, type Level } from '../core/common/level.js';
