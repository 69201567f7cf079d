-- page.lua - a pandoc filter that turns one docs/*.md page into a man page:
-- the page's own "# title" goes (the .TH line replaces it), "## Section"
-- headings become man sections in capitals, the NAME paragraph becomes the
-- "name \- summary" line whatis/lexgrog read, and links to other docs/
-- pages name the man page (or the doc file) instead of a URL.
-- Metadata: name (the page, e.g. iamguard-check), summary (optional: the
-- NAME line's text when the doc's own is not one).

local page_name, page_summary
local command_pages = {
  ["check.md"] = "iamguard-check(1)", ["lint.md"] = "iamguard-lint(1)",
  ["simulate.md"] = "iamguard-simulate(1)", ["cfn.md"] = "iamguard-cfn(1)",
  ["effective.md"] = "iamguard-effective(1)", ["escalate.md"] = "iamguard-escalate(1)",
  ["serve.md"] = "iamguard-serve(1)", ["emulator.md"] = "iamguard-emulate(1)",
  ["catalog.md"] = "iamguard-catalog(1)", ["bench.md"] = "iamguard-bench(1)",
  ["check-access.md"] = "iamguard-check-access-not-granted(1)",
}

local function meta_text(v)
  if v == nil then return nil end
  return pandoc.utils.stringify(v)
end

local in_name = false

local function header(h)
  if h.level == 1 then return {} end
  local text = pandoc.utils.stringify(h.content)
  in_name = (h.level == 2 and text:upper() == "NAME")
  return pandoc.Header(h.level - 1, { pandoc.Str(text:upper()) })
end

local function name_para(p)
  if not in_name then return nil end
  in_name = false
  local summary = page_summary
  if not summary then
    summary = pandoc.utils.stringify(p.content)
    summary = summary:gsub("^[^—]*—%s*", "")
  end
  summary = summary:gsub("%s+", " ")
  return pandoc.RawBlock("man", ".PP\n" .. page_name .. " \\- " .. summary:gsub("\\", "\\\\"))
end

local function link(l)
  local file = l.target:match("^([%w%-_]+%.md)") or l.target:match("/([%w%-_]+%.md)")
  if not file then return nil end
  local ref = command_pages[file]
  local out = { table.unpack(l.content) }
  local text = pandoc.utils.stringify(l.content)
  if ref and text ~= ref then
    table.insert(out, pandoc.Str(" (" .. ref .. ")"))
  elseif not ref and not text:match("%.md$") then
    table.insert(out, pandoc.Str(" (docs/" .. file .. ")"))
  end
  return out
end

return {
  { Meta = function(m)
      page_name = meta_text(m.name) or "iamguard"
      page_summary = meta_text(m.summary)
    end },
  { Header = header, Para = name_para, Plain = name_para, Link = link },
}
