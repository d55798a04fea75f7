-- wrk script: GET a path with a random id from [first, last], and print the run as one JSON line.
-- wrk -s get.lua http://host:port -- '/api/v1/users/%d' 1 100000 [bearer token]
local template, first, last

function init(args)
  template = args[1]
  first = tonumber(args[2])
  last = tonumber(args[3])
  if args[4] ~= nil and args[4] ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. args[4]
  end
  -- each thread its own sequence
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000) + first)
end

function request()
  return wrk.format("GET", string.format(template, math.random(first, last)))
end

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
