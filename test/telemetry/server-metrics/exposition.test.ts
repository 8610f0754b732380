import { describe, expect, it } from 'vitest';
import { labelText, numberText } from '../../../src/metrics/prometheus-text.js';
import { mulberry32 } from '../../../src/random.js';
import { familyOf, parseExposition, parseSampleLine, parseValue } from '../../../src/telemetry/server-metrics/exposition.js';

describe('parseExposition', () => {
  it('reads types, labels with escapes, special values, timestamps and exemplars', () => {
    const text = [
      '# HELP http_requests_total The total number of HTTP requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400"}    3 1395066363000',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      'metric_without_timestamp_and_labels 12.47',
      'something_weird{problem="division by zero"} +Inf -3982045',
      '# TYPE rpc_duration_seconds summary',
      'rpc_duration_seconds{quantile="0.5"} 4773',
      'rpc_duration_seconds_sum 1.7560473e+07',
      'rpc_duration_seconds_count 2693',
      '# TYPE foo histogram',
      'foo_bucket{le="0.1"} 8 # {trace_id="KOO5S4vxi0o"} 0.67',
      'foo_bucket{le="+Inf"} 17',
      'nan_gauge NaN',
      '# EOF',
      'after_eof 1',
    ].join('\n');
    const parsed = parseExposition(text);
    expect(parsed.badLines).toBe(0);
    expect(parsed.samples.map((s) => s.name)).not.toContain('after_eof');
    const byName = (name: string) => parsed.samples.filter((s) => s.name === name);
    expect(byName('http_requests_total')).toEqual([
      { name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027 },
      { name: 'http_requests_total', labels: { method: 'post', code: '400' }, value: 3 },
    ]);
    expect(byName('msdos_file_access_time_seconds')[0]?.labels).toEqual({
      path: 'C:\\DIR\\FILE.TXT',
      error: 'Cannot find file:\n"FILE.TXT"',
    });
    expect(byName('something_weird')[0]?.value).toBe(Infinity);
    expect(byName('foo_bucket').map((s) => [s.labels.le, s.value])).toEqual([
      ['0.1', 8],
      ['+Inf', 17],
    ]);
    expect(Number.isNaN(byName('nan_gauge')[0]?.value)).toBe(true);
    expect(familyOf('rpc_duration_seconds_sum', parsed.types)).toEqual({ family: 'rpc_duration_seconds', type: 'summary' });
    expect(familyOf('foo_bucket', parsed.types)).toEqual({ family: 'foo', type: 'histogram' });
    expect(familyOf('metric_without_timestamp_and_labels', parsed.types)).toBeNull();
  });

  it('takes OpenMetrics counters (TYPE foo counter, sample foo_total) and CRLF line ends', () => {
    const parsed = parseExposition(
      '# TYPE requests counter\r\n# UNIT requests requests\r\nrequests_total 5\r\nrequests_created 1.7e9\r\n# EOF\r\n',
    );
    expect(parsed.badLines).toBe(0);
    expect(familyOf('requests_total', parsed.types)).toEqual({ family: 'requests', type: 'counter' });
    expect(parsed.samples.map((s) => [s.name, s.value])).toEqual([
      ['requests_total', 5],
      ['requests_created', 1.7e9],
    ]);
  });

  it('counts a broken line and keeps the rest of the page', () => {
    const parsed = parseExposition('good 1\nbad{a="1" 2\nbad{a=1} 2\nno_value\n<html>\n9name 1\nhex 0x1F\ngood2{a="x",} 3\n');
    expect(parsed.samples.map((s) => s.name)).toEqual(['good', 'good2']);
    expect(parsed.badLines).toBe(6);
    expect(parsed.firstBadLine).toBe('bad{a="1" 2');
  });

  it('reads values as the format spells them', () => {
    expect([parseValue('+Inf'), parseValue('-Inf'), parseValue('1e-3'), parseValue('-0'), parseValue('.5')]).toEqual([
      Infinity,
      -Infinity,
      0.001,
      -0,
      0.5,
    ]);
    expect([parseValue(''), parseValue('abc'), parseValue('0x10'), parseValue('1,5')]).toEqual([null, null, null, null]);
  });
});

/** Random but valid exposition text, written by our own writer, against what went in. */
describe('parseExposition, fuzzed', () => {
  const ALPHABET = 'ab\\"\n{}=, #\tz€😀';
  it('reads back every sample of 300 random pages written with escapes, special values and exemplars', () => {
    const random = mulberry32(14);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    for (let page = 0; page < 300; page++) {
      const expected: { name: string; labels: Record<string, string>; value: number }[] = [];
      const lines: string[] = [];
      const families = 1 + Math.floor(random() * 5);
      for (let f = 0; f < families; f++) {
        const name = `fam_${page}_${f}${pick(['', ':sub', '_total'])}`;
        lines.push(`# HELP ${name} help with \\\\ and \\n escapes`, `# TYPE ${name} ${pick(['counter', 'gauge', 'untyped'])}`);
        const series = 1 + Math.floor(random() * 4);
        for (let s = 0; s < series; s++) {
          const labels: Record<string, string> = {};
          const count = Math.floor(random() * 3);
          for (let l = 0; l < count; l++) {
            let value = '';
            for (let c = Math.floor(random() * 8); c > 0; c--) value += pick([...ALPHABET]);
            labels[`l${l}`] = value;
          }
          const value = pick([0, 1, -2.5, 1e21, 3.14e-7, Infinity, -Infinity, Math.round(random() * 1e6) / 7]);
          const suffix = pick(['', ' 1712345678901', ' # {trace_id="x"} 1.0', ' 1712345678901 # {a="b"} 2 1712345678.9']);
          lines.push(`${name}${labelText(labels)} ${numberText(value)}${suffix}`);
          expected.push({ name, labels, value });
        }
      }
      const parsed = parseExposition(lines.join(pick(['\n', '\r\n'])));
      expect(parsed.badLines).toBe(0);
      expect(parsed.samples).toEqual(expected);
    }
  });

  it('never throws on mangled input, and every line it does not count as bad is a sample', () => {
    const random = mulberry32(7);
    const seed = 'a_b{x="1\\"y",z="\\n"} 1.5e3 123\n# TYPE a_b gauge\nc +Inf\n';
    for (let i = 0; i < 2000; i++) {
      const chars = [...seed];
      for (let m = 0; m < 1 + Math.floor(random() * 4); m++) {
        const at = Math.floor(random() * chars.length);
        const op = random();
        if (op < 0.33) chars.splice(at, 1);
        else if (op < 0.66) chars.splice(at, 0, String.fromCharCode(32 + Math.floor(random() * 95)));
        else chars[at] = '"';
      }
      const text = chars.join('');
      const parsed = parseExposition(text);
      const contentLines = text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')).length;
      expect(parsed.samples.length + parsed.badLines).toBeLessThanOrEqual(contentLines);
      for (const sample of parsed.samples) expect(parseSampleLine(`${sample.name} 1`)?.name).toBe(sample.name);
    }
  });
});

describe('ScrapeStore.ingestText (the scrape hot path)', () => {
  it('stores what parseExposition reads, page after page, whether lines keep their order or not', async () => {
    const { ScrapeStore } = await import('../../../src/telemetry/server-metrics/scrape-store.js');
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = new URL('../../fixtures/server-metrics/', import.meta.url);
    const random = mulberry32(3);
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.prom'))) {
      const page = readFileSync(new URL(name, dir), 'utf8');
      const lines = page.split('\n');
      // The same page, then its sample lines shuffled, then a line broken: three scrapes each way.
      const shuffled = [...lines].sort(() => random() - 0.5).join('\n');
      const broken = `${page}\nbroken{a="1" 2\n`;
      const viaText = new ScrapeStore();
      const viaParse = new ScrapeStore();
      [page, shuffled, broken].forEach((text, i) => {
        const counts = viaText.ingestText(i, text);
        const parsed = parseExposition(text);
        viaParse.ingest(i, parsed);
        expect(counts.badLines, name).toBe(parsed.badLines);
        expect(counts.samples, name).toBe(parsed.samples.length);
      });
      expect(
        viaText.series.map((s) => s.key),
        name,
      ).toEqual(viaParse.series.map((s) => s.key));
      viaText.scrapes.forEach((row, i) =>
        expect(Array.from(row.values), `${name} scrape ${i}`).toEqual(Array.from(viaParse.scrapes[i]!.values)),
      );
    }
  });
});
