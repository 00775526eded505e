-- wrk script: replay a fixed list of HTTP requests round robin, report as JSON.
--
-- bench.py writes the list (one request a line: method, path, Cookie header,
-- form body, separated by tabs) and names it in BENCH_REQUESTS. Every
-- scenario, the bare view included, runs through this same script, so the
-- cost of wrk calling Lua per request is the same on both sides of a ratio.
--
-- BENCH_LIMIT_PER_THREAD (optional) stops each thread after that many
-- responses: wrk's own -d only bounds the time, and the memory run needs a
-- request count.

local requests = {}
local next_index = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
    local headers = {}
    if cookie ~= "" then headers["Cookie"] = cookie end
    if body ~= "" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    else
      body = nil
    end
    requests[#requests + 1] = wrk.format(method, path, headers, body)
  end
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

local limit = tonumber(os.getenv("BENCH_LIMIT_PER_THREAD") or "")
if limit then
  -- Defined only when needed: with a response() function wrk parses every
  -- response into Lua tables, which would slow the timed runs down.
  local responses = 0
  function response(status, headers, body)
    responses = responses + 1
    if responses >= limit then wrk.thread:stop() end
  end
end

function done(summary, latency)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
