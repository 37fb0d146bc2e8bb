/**
 * The modules that plug into the clue service (`clues.hooks.ts`), one import each: sorting and duplicates,
 * deadlines, work-order feedback… Importing this file registers them all, so every path that raises or moves a
 * clue (HTTP, CLI, jobs, tests) runs the same hooks.
 */
import './clues.workorders.hooks.ts';

import './clues.deadlines.ts';

import './clues.sorting.hooks.ts';
