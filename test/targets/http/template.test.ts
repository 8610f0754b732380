import { describe, expect, it } from 'vitest';
import { compileTemplate, readPath, templateProtocol, TEMPLATE_MAX_TEXTS } from '../../../src/targets/http/protocols/template.js';
import { createProtocol } from '../../../src/targets/http/protocols/index.js';

const config = { maxNewTokens: 8 };

function decode(protocol: ReturnType<typeof templateProtocol>, body: string, items = 1) {
  const decoder = protocol.decoder('classify', items);
  // Split in two chunks: a decoder must join them.
  const bytes = Buffer.from(body);
  decoder.onData(bytes.subarray(0, 3), 1);
  decoder.onData(bytes.subarray(3), 2);
  return decoder.finish(3);
}

describe('template protocol', () => {
  const single = templateProtocol({
    protocol: 'template',
    method: 'PUT',
    body: '{"q": {{text}}, "n": 1}',
    outputPath: 'r.0.label',
    serverTime: { path: 'took_ms', unit: 'ms' },
  });
  const batch = templateProtocol({
    protocol: 'template',
    method: 'POST',
    body: '{"qs": {{texts}}}',
    outputPath: 'out',
    serverTime: { path: 'meta.took', unit: 's' },
  });

  it('substitutes {{text}} as one JSON string and sends to the base URL itself', () => {
    const request = single.request('classify', ['say "hi"\n'], config);
    expect(request).toEqual({ method: 'PUT', path: '', body: '{"q": "say \\"hi\\"\\n", "n": 1}' });
    expect(JSON.parse(request.body)).toEqual({ q: 'say "hi"\n', n: 1 });
    expect(single.maxItemsPerRequest('classify')).toBe(1);
  });

  it('substitutes {{texts}} as a JSON array and allows batches', () => {
    expect(JSON.parse(batch.request('classify', ['a', 'b'], config).body)).toEqual({ qs: ['a', 'b'] });
    expect(batch.maxItemsPerRequest('generate')).toBe(TEMPLATE_MAX_TEXTS);
  });

  it('reads the output and the server time in ms or s', () => {
    expect(decode(single, '{"r": [{"label": "x"}], "took_ms": 12.5}')).toEqual({ ok: true, serverMs: 12.5 });
    expect(decode(batch, '{"out": [1, 2], "meta": {"took": 0.25}}', 2)).toEqual({ ok: true, serverMs: 250 });
    expect(decode(single, '{"r": [{"label": "x"}]}')).toEqual({ ok: true, serverMs: null });
  });

  it('classes a missing output as protocol_mismatch and non-JSON as malformed_body', () => {
    expect(decode(single, '{"r": []}')).toMatchObject({ ok: false, errorClass: 'protocol_mismatch' });
    expect(decode(single, '<html>oops</html>')).toMatchObject({ ok: false, errorClass: 'malformed_body' });
  });

  it('requires one result per text when the output is an array', () => {
    expect(decode(batch, '{"out": [1, 2]}', 3)).toMatchObject({
      ok: false,
      errorClass: 'protocol_mismatch',
      detail: expect.stringContaining('2 results for 3 texts'),
    });
  });

  it('compiles templates without placeholders and reads dotted paths', () => {
    expect(compileTemplate('{}')).toEqual({ literals: ['{}'], slots: [] });
    expect(readPath({ a: [{ b: 0 }] }, ['a', '0', 'b'])).toBe(0);
    expect(readPath({ a: 1 }, ['a', 'b'])).toBeUndefined();
    expect(readPath({ a: [1] }, ['a', 'x'])).toBeUndefined();
  });

  it('is reachable through the registry', () => {
    expect(createProtocol({ protocol: 'template', method: 'POST', body: '{{texts}}', outputPath: '', serverTime: null }).name).toBe(
      'template',
    );
  });
});
