-- wrk script for bench/load.py. LOAD_REQUESTS holds one request per line, "METHOD|PATH|BODY"
-- (BODY may be empty); requests are sent round robin. In PATH and BODY, "{id}" becomes a random
-- id in LOAD_ID_MIN..LOAD_ID_MAX and "{rating}" a random 1..5. When LOAD_TOKENS (space-separated)
-- is set, every request carries "Authorization: Bearer <a random one of them>". Each thread
-- stops after LOAD_PER_THREAD responses. The query count of every response is read from the
-- Server-Timing header that fetchplan.observe.middleware.QueryMiddleware sets. Answers 503 and
-- other 5xx are counted apart (the fault phase requires 0 answers of 500).
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local function split(text, separator)
  local parts = {}
  for part in string.gmatch(text .. separator, "(.-)" .. separator) do table.insert(parts, part) end
  return parts
end

function init(args)
  specs = {}
  for line in string.gmatch(os.getenv("LOAD_REQUESTS") or "GET|/|", "[^\n]+") do
    local parts = split(line, "|")
    table.insert(specs, {method = parts[1], path = parts[2], body = parts[3] or ""})
  end
  tokens = {}
  for t in string.gmatch(os.getenv("LOAD_TOKENS") or "", "%S+") do table.insert(tokens, t) end
  id_min = tonumber(os.getenv("LOAD_ID_MIN") or "1")
  id_max = tonumber(os.getenv("LOAD_ID_MAX") or "1")
  limit = tonumber(os.getenv("LOAD_PER_THREAD") or "1000000")
  math.randomseed(id * 7919)
  next_spec, responses, with_timing, queries_sum = 0, 0, 0, 0
  status_503, status_5xx = 0, 0
  queries_min, queries_max = -1, -1
end

local function fill(text)
  text = string.gsub(text, "{id}", function() return tostring(math.random(id_min, id_max)) end)
  return (string.gsub(text, "{rating}", function() return tostring(math.random(1, 5)) end))
end

function request()
  next_spec = next_spec % #specs + 1
  local spec = specs[next_spec]
  local headers = {}
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[math.random(#tokens)] end
  local body = nil
  if spec.body ~= "" then
    body = fill(spec.body)
    headers["Content-Type"] = "application/json"
  end
  return wrk.format(spec.method, fill(spec.path), headers, body)
end

function response(status, headers, body)
  responses = responses + 1
  if status == 503 then
    status_503 = status_503 + 1
  elseif status >= 500 then
    status_5xx = status_5xx + 1
  end
  local timing = headers["Server-Timing"] or headers["server-timing"]
  if timing then
    local n = tonumber(string.match(timing, 'desc="(%d+) queries"'))
    if n then
      with_timing = with_timing + 1
      queries_sum = queries_sum + n
      if queries_min < 0 or n < queries_min then queries_min = n end
      if n > queries_max then queries_max = n end
    end
  end
  if responses >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local timed, qsum, qmin, qmax, s503, s5xx = 0, 0, -1, -1, 0, 0
  for _, t in ipairs(threads) do
    timed = timed + t:get("with_timing")
    s503 = s503 + t:get("status_503")
    s5xx = s5xx + t:get("status_5xx")
    qsum = qsum + t:get("queries_sum")
    local tmin, tmax = t:get("queries_min"), t:get("queries_max")
    if tmin >= 0 and (qmin < 0 or tmin < qmin) then qmin = tmin end
    if tmax > qmax then qmax = tmax end
  end
  local e = summary.errors
  io.write(string.format(
    'LOAD_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, ' ..
    '"errors_status": %d, "errors_timeout": %d, "timed": %d, "queries_sum": %d, ' ..
    '"queries_min": %d, "queries_max": %d, "status_503": %d, "status_5xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout, timed, qsum, qmin, qmax,
    s503, s5xx))
end
