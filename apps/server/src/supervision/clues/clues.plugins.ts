/**
 * The modules that plug into the clue service (`clues.hooks.ts`), one import each: sorting and duplicates,
 * deadlines, work-order feedback… Importing this file registers them all, so every path that raises or moves a
 * clue (HTTP, CLI, jobs, tests) runs the same hooks.
 */
import './clues.workorders.hooks.ts';

import './clues.deadlines.ts';

import './clues.sorting.hooks.ts';

import '../analysis/analysis.queue.ts';

// Issue 6: the triage model fills the sorting fields the rules leave open (registered after the rules).
import '../analysis/analysis.triage.classifier.ts';
