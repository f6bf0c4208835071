/**
 * Which siblings go down and come back when one child must be restarted:
 * - `one_for_one`: only that child;
 * - `one_for_all`: every child (the others are stopped in reverse start order first);
 * - `rest_for_one`: that child and every child started after it.
 */
export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

/** The indexes (in start order) of the children to restart when child `failed` must be. */
export function restartSet(strategy: Strategy, failed: number, count: number): number[] {
  switch (strategy) {
    case 'one_for_one':
      return [failed];
    case 'one_for_all':
      return Array.from({ length: count }, (_, i) => i);
    case 'rest_for_one':
      return Array.from({ length: count - failed }, (_, i) => failed + i);
  }
}
