-- One script for every wrk scenario of bench/run.py.
--   BENCH_COOKIE  a Cookie header to send (the clinician's session), optional
--   BENCH_PATHS   a file of request paths, one a line, taken in turn, optional
-- Counts responses that are not 200 (wrk itself counts only >= 400 as errors, and a
-- redirect to the sign-in page would otherwise pass), and prints one JSON line at the end.

local paths = {}
local next_path = 0
local threads = {}
not_ok = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local cookie = os.getenv("BENCH_COOKIE")
  if cookie and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
  local file = os.getenv("BENCH_PATHS")
  if file and file ~= "" then
    for line in io.lines(file) do
      if line ~= "" then
        table.insert(paths, line)
      end
    end
  end
  -- Threads start at different places in the list.
  next_path = math.random(math.max(#paths, 1)) - 1
end

function request()
  if #paths == 0 then
    return wrk.format(nil, nil)
  end
  next_path = next_path % #paths + 1
  return wrk.format(nil, paths[next_path])
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_200 = 0
  for _, thread in ipairs(threads) do
    not_200 = not_200 + thread:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, '
      .. '"not_200": %d}, '
      .. '"latency_us": {"min": %d, "mean": %.1f, "max": %d, "stdev": %.1f, '
      .. '"p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, not_200,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99)))
end
