/** Progress output of the training scripts (process edges, run from the command line). */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
