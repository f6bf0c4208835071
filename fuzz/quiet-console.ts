/**
 * Mutes the console while a row runs, counting the lines: rhea writes every protocol error to the
 * console with the offending bytes in hex, so 100,000 hostile units would bury the report. The
 * count stays in the row (`consoleLines`): a peer that makes the listener log is worth knowing.
 */
type Method = 'log' | 'warn' | 'error' | 'info' | 'debug';
const METHODS: readonly Method[] = ['log', 'warn', 'error', 'info', 'debug'];

export function quietConsole(count: () => void): () => void {
  const saved = METHODS.map((method) => [method, console[method]] as const);
  for (const method of METHODS) console[method] = () => count();
  return () => {
    for (const [method, original] of saved) console[method] = original;
  };
}
