/**
 * The Lua script wrk runs in bench:http: it sends the bench's POST body and, when done, prints
 * wrk's own figures as one JSON line (microseconds, from wrk's latency histogram), which
 * parseWrkOutput reads beside wrk's text summary.
 */
export function wrkScript(body: string): string {
  if (body.includes(']==]')) throw new Error('the wrk script cannot quote a body holding "]==]"');
  return `wrk.method = "POST"
wrk.body = [==[${body}]==]
wrk.headers["Content-Type"] = "application/json"

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"wrkDone":true,"requests":%d,"durationUs":%d,"meanUs":%.2f,"p50Us":%d,"p99Us":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency.mean, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`;
}
