/**
 * bench:http end to end, short: the built bench against its real loopback server, one cell (16 in
 * flight, 5 ms server), runs of 1 s and 3 s, pipebench, the undici floor and autocannon only. Checks the table's
 * shape, that the measured figures are positive and that the floor's ratios are printed; the figures themselves are
 * the machine's.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { TABLE_HEADER } from '../../src/bench/peer-table.js';

const BENCH = join(import.meta.dirname, '..', '..', 'dist', 'bench', 'http.js');

async function bench(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BENCH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const [stdout, stderr, code] = await Promise.all([
    text(child.stdout),
    text(child.stderr),
    new Promise<number | null>((resolve) => child.on('close', resolve)),
  ]);
  return { code, stdout, stderr };
}

const cellsOf = (line: string): string[] =>
  line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());

describe('bench:http', () => {
  it('measures one cell with pipebench and autocannon: a row each with positive figures, the goals judged or not measured', async () => {
    const { code, stdout, stderr } = await bench([
      ...[
        '--servers',
        '5ms',
        '--levels',
        '16',
        '--clients',
        'pipebench,undici,autocannon',
        '--rounds',
        '1',
        '--seconds',
        '1',
        '--workers',
        '2',
      ],
    ]);
    expect(code, stderr).toBe(0);
    const lines = stdout.split('\n');
    const header = lines.indexOf(TABLE_HEADER[0]!);
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toBe(TABLE_HEADER[1]);
    const rows = lines.slice(header + 2, lines.indexOf('', header)).map(cellsOf);
    // The N-worker row runs after pipebench's, or (a pipebench without --workers) closes the cell saying so.
    expect(rows.map((row) => row.slice(0, 3).join(' ')).sort()).toEqual([
      '5ms 16 autocannon',
      '5ms 16 pipebench',
      '5ms 16 pipebench x2',
      '5ms 16 undici (floor)',
    ]);
    for (const row of rows) {
      if (row[3] === 'needs --workers') continue; // a pipebench before --workers: that row says so
      const figures = row.slice(3).map((cell) => Number(cell.replace(/[,%]/g, '').trim()));
      expect(figures, row.join(' | ')).toHaveLength(7);
      // req/s, p50, p99, achieved in flight, whole-process CPU per request: positive; the server's CPU: not negative.
      for (const figure of figures.slice(0, 5)) expect(figure, row.join(' | ')).toBeGreaterThan(0);
      expect(figures[6], row.join(' | ')).toBeGreaterThanOrEqual(0);
      // The marginal figure is a difference of two runs: a number, whose sign the machine's noise may flip.
      expect(Number.isFinite(figures[5]), row.join(' | ')).toBe(true);
    }
    expect(stdout).toMatch(/^peers found: autocannon$/m);
    expect(stdout).toMatch(/^fixed CPU per process .*: pipebench -?\d+ ms, .*autocannon -?\d+ ms/m);
    const floorAt = lines.indexOf('Against the undici floor (CPU per request, marginal; per-round ratios, median):');
    expect(floorAt, stdout).toBeGreaterThan(0);
    // One cell: the goal cell only, pipebench over the floor and the floor over autocannon.
    expect(lines.slice(floorAt + 1, floorAt + 3)).toEqual([
      expect.stringMatching(
        /^- pipebench over undici \(floor\) \(what pipebench's own code adds per request; 16 in flight, 5ms server\): /,
      ),
      expect.stringMatching(
        /^- undici \(floor\) over autocannon \(what undici costs beyond a hand-written client; 16 in flight, 5ms server\): /,
      ),
    ]);
    const goals = lines.slice(0, floorAt).filter((line) => line.startsWith('- '));
    expect(goals.length).toBeGreaterThanOrEqual(6);
    for (const goal of goals) expect(goal).toMatch(/ -> (met|NOT met|not measured)$/);
    expect(goals.find((goal) => goal.includes('0.9x hey'))).toMatch(/not measured$/);
    expect(goals.find((goal) => goal.includes('1.0x autocannon'))).toMatch(/: \d+\.\d{3}x -> (met|NOT met)$/);
  }, 180_000); // pipebench's start-up (~3 s of CPU) twice, on a loaded 2-core machine

  it('refuses a bad flag with one line naming it, exit 2', async () => {
    const { code, stdout, stderr } = await bench(['--levels', '1,0']);
    expect(code).toBe(2);
    expect(stderr).toBe('--levels: expected a whole number >= 1, got "0"\n');
    expect(stdout).toBe('');
  });
});
