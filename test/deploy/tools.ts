/**
 * Debian's prometheus package (prometheus, promtool) for the exposition and dashboard tests. A
 * missing tool fails the test with the way to install it (CI installs it): nothing is skipped.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The tool's path on PATH; throws naming the package to install when it is not there. */
export function requireTool(name: 'prometheus' | 'promtool'): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      if (statSync(path).isFile()) return path; // a folder of that name is no tool
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} is not on PATH: install Debian's prometheus package (sudo apt-get install prometheus), as .ci/run does`);
}

export interface ToolResult {
  readonly code: number | null;
  readonly output: string;
}

/** `promtool check metrics` over an exposition text: exit 0 and no output when it is clean (lint warnings exit 3). */
export function promtoolCheckMetrics(text: string): Promise<ToolResult> {
  return runWithInput(requireTool('promtool'), ['check', 'metrics'], text);
}

export function runWithInput(command: string, args: readonly string[], input: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.stdin.end(input);
  });
}
