import { execFileSync } from 'node:child_process';

/** Workers and the CLI run from dist/, so tests always see a fresh build of src/. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
