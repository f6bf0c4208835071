import { formatDot, formatGraph } from '../format-graph.ts';
import { println, type CommandIo } from '../io.ts';
import { loadTopology } from '../load-topology.ts';

export interface GraphArgs {
  file: string;
  exportName: string | undefined;
  dot: boolean;
}

/** `airlock graph <topology.ts> [--dot]`: draws the supervision trees without starting anything. */
export async function graphCommand(args: GraphArgs, io: CommandIo): Promise<number> {
  const topology = await loadTopology(args.file, io.cwd, args.exportName);
  for (const line of args.dot ? formatDot(topology) : formatGraph(topology)) println(io.out, line);
  return 0;
}
