#!/usr/bin/env node
/**
 * The executable: wires signals to an AbortSignal and sets process.exitCode. The first SIGINT or
 * SIGTERM stops the run gracefully (outputs written, marked partial); a second one exits at once.
 */
import { main } from './main.js';
import { processIo } from './io.js';

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    controller.abort(signal);
  });
}

process.exitCode = await main(process.argv.slice(2), processIo(), controller.signal);
