/**
 * 分拣与并案 plug into the clue service here (one import in `clues.plugins.ts`): the sorting suggestion and the
 * duplicate check after intake, and the handlers of 不予受理, 转办 and 并案.
 */
import './clues.sorting.ts';
import './clues.duplicates.ts';
import './clues.refusal.ts';
import './clues.transfer.ts';
import './clues.merge.ts';
