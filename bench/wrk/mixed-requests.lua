-- Rotates over the three benchmark endpoints, with changing user ids, so the memory
-- phases exercise JSON, plain text and route parameters alike.
local counter = 0

request = function()
  counter = counter + 1
  local turn = counter % 3
  if turn == 0 then
    return wrk.format('GET', '/json')
  elseif turn == 1 then
    return wrk.format('GET', '/plaintext')
  end
  return wrk.format('GET', '/users/' .. (counter % 10000))
end
