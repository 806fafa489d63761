-- TechEmpower's plaintext rule: requests pipelined, `depth` (the script's argument, after `--`
-- on wrk's command line) sent at once on each connection before reading the answers.
init = function(args)
  local depth = tonumber(args[1]) or 1
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format()
  end
  pipelined = table.concat(requests)
end

request = function()
  return pipelined
end
