-- Posts one Telegram update per request, each with a unique update_id (per wrk thread a separate range), to
-- /telegram/webhook with the secret header. The updates are edited messages, which the bot stores and then
-- acknowledges without calling Telegram, so the run measures intake, not the Bot API. Arguments: secret, pace (ms
-- between requests, 0 for none), instance (1, 2, ...: wrk instances run side by side get ranges of their own, two
-- threads' worth each). Telegram.Bot reads update_id as an int: every id stays under 2^31.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("base", (#threads + 1) * 100000000 + os.time() % 100000 * 1000)
  table.insert(threads, thread)
end

function init(args)
  secret = args[1]
  pace = tonumber(args[2] or "0")
  base = base + math.max(0, tonumber(args[3] or "1") - 1) * 200000000
end

function delay()
  return pace
end

function request()
  counter = counter + 1
  local id = base + counter
  local body = string.format('{"update_id":%d,"edited_message":{"message_id":%d,"date":1700000000,"edit_date":1700000001,' ..
    '"chat":{"id":%d,"type":"private","first_name":"Load"},"from":{"id":%d,"is_bot":false,"first_name":"Load"},"text":"load test"}}',
    id, id % 1000000, 1000 + id % 500, 1000 + id % 500)
  return wrk.format("POST", "/telegram/webhook", { ["Content-Type"] = "application/json", ["X-Telegram-Bot-Api-Secret-Token"] = secret }, body)
end
