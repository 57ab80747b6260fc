-- Run by tests/neovim/run.sh after the documented init.lua, with a
-- consortium file open: waits for escp's diagnostics, writes them (and the
-- language servers attached) as JSON to $ESCP_NVIM_OUT, and quits, with an
-- error code if none came.
local out = assert(vim.env.ESCP_NVIM_OUT, 'ESCP_NVIM_OUT is not set')
local bufnr = vim.api.nvim_get_current_buf()
local function has(test)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if test(d) then
      return true
    end
  end
  return false
end
-- A rule's finding, and the readiness verdict on the `call` line.
local came = vim.wait(30000, function()
  return has(function(d)
    return d.code == 'eligible-country'
  end) and has(function(d)
    return d.message:match('^NOT READY') ~= nil
  end)
end, 50)
local result = { came = came, diagnostics = {}, clients = {} }
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(result.diagnostics, {
    lnum = d.lnum,
    col = d.col,
    code = d.code,
    severity = d.severity,
    message = d.message,
    source = d.source,
  })
end
local clients = (vim.lsp.get_clients or vim.lsp.get_active_clients)({ bufnr = bufnr })
for _, client in pairs(clients) do
  table.insert(result.clients, client.name)
end
local file = assert(io.open(out, 'w'))
file:write(vim.fn.json_encode(result))
file:close()
if came then
  vim.cmd('qall!')
else
  vim.cmd('cquit!')
end
