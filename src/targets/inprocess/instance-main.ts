/**
 * Entry of one model instance: the same code as a worker thread (parentPort) or as a forked
 * child process (process.send). A child also exits when its parent goes away, so no instance
 * outlives the target's process.
 */
import { parentPort } from 'node:worker_threads';
import { createInstanceEngine } from './instance-engine.js';
import type { HostMessage, InstanceMessage } from './protocol.js';

const port = parentPort;
if (port) {
  const engine = createInstanceEngine(
    (message: InstanceMessage) => port.postMessage(message),
    () => process.exit(0),
  );
  port.on('message', (message: HostMessage) => void engine.handle(message));
} else if (process.send) {
  const send = process.send.bind(process);
  const engine = createInstanceEngine(
    (message: InstanceMessage) => send(message),
    () => process.exit(0),
  );
  process.on('message', (message: HostMessage) => void engine.handle(message));
  process.on('disconnect', () => process.exit(0));
} else {
  throw new Error('instance-main runs as a worker thread or a forked child process, not on its own');
}
