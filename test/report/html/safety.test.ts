import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../../src/report/html/escape.js';
import { renderHtml } from '../../../src/report/html/index.js';
import type { RunReport } from '../../../src/core/report/run.js';
import { chartReport } from './fixture.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const HOSTILE = `${SCRIPT}${IMG}'</textarea><!--`;

function hostileReport(): RunReport {
  const report = chartReport();
  return {
    ...report,
    runId: `run-${IMG}`,
    workload: { ...report.workload, name: HOSTILE, description: HOSTILE, source: HOSTILE },
    target: { ...report.target, description: HOSTILE },
    warnings: [HOSTILE, `prompt ${SCRIPT} failed`],
    recommendation: report.recommendation.map((r) => ({ ...r, reason: HOSTILE })),
  };
}

/** Every start tag in the page, by name. */
const tags = (html: string) => [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)[\s>/]/g)].map((m) => m[1]!.toLowerCase());

describe('escaping', () => {
  it('escapeHtml leaves no markup characters', () => {
    expect(escapeHtml(HOSTILE)).not.toMatch(/[<>"']/);
    expect(escapeHtml('a & b')).toBe('a &amp; b');
  });

  it('jsonForScript cannot end its script block and reads back the same', () => {
    const value = { name: HOSTILE, line: '\u2028' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<|>/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('renderHtml with hostile strings', async () => {
  const html = await renderHtml(hostileReport());

  it("holds no live markup: only the page's own tags, scripts only JSON data", () => {
    expect(html).not.toContain(SCRIPT);
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<[a-z][^<>]*\son[a-z]+=/i); // no event-handler attribute on any tag
    expect(tags(html)).not.toContain('img');
    expect(tags(html)).not.toContain('textarea');
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(3);
    for (const attrs of scripts) expect(attrs).toMatch(/^ type="application\/json"/);
    expect(html).toContain(escapeHtml(HOSTILE));
  });

  it('and a CSP that would stop a script anyway', () => {
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/,
    );
  });
});

describe('no network', async () => {
  const html = await renderHtml(chartReport());

  it('no URL but the SVG namespaces; links are data: URIs or in-page', () => {
    const urls = [...html.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"')]*/gi)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
    const hrefs = [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^(data:|#)/);
  });
});
