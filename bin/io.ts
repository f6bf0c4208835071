/** What a command may touch of its process: output streams, environment, working directory. */
export interface CommandIo {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function println(stream: CommandIo['out'], line = ''): void {
  stream.write(`${line}\n`);
}
