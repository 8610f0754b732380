/* global process, setInterval */
// A harness stand-in for the orphan tests: starts the sampler from the built dist/, prints the
// nvidia-smi pid, then waits to be signalled. argv[2] = 'exit-on-sigint' installs a SIGINT handler
// that exits the way the CLI does (process.exit after writing).
import { startNvidiaSmiSampler } from '../../../dist/telemetry/gpu-sampler.js';

if (process.argv[2] === 'exit-on-sigint') process.on('SIGINT', () => process.exit(130));
const sampler = await startNvidiaSmiSampler({ intervalMs: 20 });
await sampler.ready;
process.stdout.write(`${sampler.pid}\n`);
setInterval(() => undefined, 1000);
