-- wrk: the run as one JSON line (WRK_JSON {...}) for bench/run; loaded by the scenario scripts.
function done(summary, latency, requests)
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationMicros":%d,"bytes":%d,"connectErrors":%d,"readErrors":%d,'
      .. '"writeErrors":%d,"statusErrors":%d,"timeouts":%d,"meanMicros":%.1f,"p50Micros":%d,'
      .. '"p90Micros":%d,"p99Micros":%d,"p999Micros":%d,"maxMicros":%d}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max))
end
