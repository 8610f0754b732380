import { spawnSync } from 'node:child_process';

/**
 * Workers and the CLI run from dist/, so tests always see a fresh build of src/. tsc emits even
 * when it finds type errors; those are `npm run typecheck`'s job, so here they only warn.
 */
export default function setup(): void {
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const errors = result.stdout.split('\n').filter((line) => line.includes('error TS')).length;
    console.warn(`global-setup: tsc reported ${errors} type errors (run npm run typecheck); tests use the emitted JS.`);
  }
}
