import { describe, expect, it } from 'vitest';
import { Counter, Histogram, ServeMetrics } from '../../src/serve/prometheus.js';

describe('Prometheus text exposition', () => {
  it('renders an empty histogram as HELP and TYPE only', () => {
    expect(new Histogram('h_seconds', 'help text', [0.1, 1]).render()).toBe('# HELP h_seconds help text\n# TYPE h_seconds histogram');
  });

  it('writes cumulative buckets, +Inf, sum and count; a value above every bucket lands only in +Inf', () => {
    const h = new Histogram('h_seconds', 'x', [0.1, 1]);
    h.observe(0.05, { route: '/a' });
    h.observe(0.1, { route: '/a' });
    h.observe(5, { route: '/a' });
    const lines = h.render().split('\n');
    expect(lines).toContain('h_seconds_bucket{route="/a",le="0.1"} 2');
    expect(lines).toContain('h_seconds_bucket{route="/a",le="1"} 2');
    expect(lines).toContain('h_seconds_bucket{route="/a",le="+Inf"} 3');
    expect(lines).toContain('h_seconds_sum{route="/a"} 5.15');
    expect(lines).toContain('h_seconds_count{route="/a"} 3');
  });

  it('one sample and all-equal samples give identical bucket and count', () => {
    const h = new Histogram('b', 'x', [1, 2]);
    for (let i = 0; i < 4; i++) h.observe(2);
    expect(h.render()).toContain('b_bucket{le="1"} 0\nb_bucket{le="2"} 4\nb_bucket{le="+Inf"} 4\nb_sum 8\nb_count 4');
  });

  it('counts per label set and escapes quotes, backslashes and newlines in label values', () => {
    const c = new Counter('c_total', 'x');
    c.inc({ route: '/a', status: '200' });
    c.inc({ route: '/a', status: '200' });
    c.inc({ route: 'say "hi"\\\n', status: '404' });
    const text = c.render();
    expect(text).toContain('c_total{route="/a",status="200"} 2');
    expect(text).toContain('c_total{route="say \\"hi\\"\\\\\\n",status="404"} 1');
  });

  it('ServeMetrics names every metric and reads the in-flight gauge when rendered', () => {
    let inFlight = 3;
    const metrics = new ServeMetrics(() => inFlight);
    expect(metrics.render()).toContain('pipebench_serve_in_flight 3');
    inFlight = 0;
    const text = metrics.render();
    expect(text).toContain('pipebench_serve_in_flight 0');
    for (const name of [
      'requests_total counter',
      'request_duration_seconds histogram',
      'queue_seconds histogram',
      'batch_size histogram',
      'in_flight gauge',
    ]) {
      expect(text).toContain(`# TYPE pipebench_serve_${name}`);
    }
    expect(text.endsWith('\n')).toBe(true);
  });
});
