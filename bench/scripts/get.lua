-- wrk script: GET a path with a random id from [first, last]; report.lua prints the run as one JSON line.
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

dofile("bench/scripts/report.lua")
