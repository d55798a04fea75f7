-- wrk script: POST the same body of <size> bytes to one path, again and again (the upload scenario);
-- report.lua prints the run as one JSON line. No request() function: wrk builds the request once
-- from wrk.method, wrk.path, wrk.headers and wrk.body, instead of copying 10 MB for each one.
-- wrk -s post.lua http://host:port -- /api/v1/files?name=bench.bin 10485760 [bearer token]

function init(args)
  wrk.path = args[1]
  wrk.method = "POST"
  wrk.body = string.rep("x", tonumber(args[2]))
  wrk.headers["Content-Type"] = "application/octet-stream"
  if args[3] ~= nil and args[3] ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. args[3]
  end
end

dofile("bench/scripts/report.lua")
