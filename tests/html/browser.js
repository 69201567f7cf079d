// browser.js - open an iamguard HTML report in Debian's chromium (headless,
// driven by puppeteer-core) and check what a reader relies on:
//   - it loads with no console error, no page error and no network request
//     beyond the file itself (the page is self-contained);
//   - every internal link resolves to an element;
//   - the escalation graph has a node per principal and, for every step of
//     every path, an edge from the step's principal labelled with its action
//     (paths that share a hop share its edge, which links to the first of
//     them and counts them); every edge links to a path;
//   - the refuted claims are the ones the --format json report names;
//   - headings start at h1 and never skip a level, the html has a language,
//     images have alt text, and the verdict colours have a contrast of at
//     least 4.5:1 (WCAG AA);
//   - a screenshot is taken (kept as a test artifact).
// usage: node browser.js REPORT.html REPORT.json KIND SCREENSHOT.png
//   KIND: check | escalate | effective
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [htmlPath, jsonPath, kind, shotPath] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) failures.push(what);
}

// The principal a step acts as: the object form names it, the prose form
// writes "role arn:..." in "as".
function arnIn(s) {
  if (!s) return null;
  const m = /arn:[^\s,)]+/.exec(s);
  return m ? m[0] : s;
}
function escalationStarts() {
  if (kind === 'escalate') return report.escalation || [];
  const e = report.analysis && report.analysis.escalation;
  return e ? [e] : [];
}
function expectedGraph() {
  const nodes = new Set();
  const steps = [];
  escalationStarts().forEach((start, s) => {
    if (!(start.paths || []).length) return;
    nodes.add(arnIn(start.from));
    start.paths.forEach((p, i) => {
      nodes.add(arnIn(p.principal || p.to));
      (p.steps || []).forEach((st) => {
        const who = arnIn(st.principal || st.as) || arnIn(start.from);
        nodes.add(who);
        const action = st.action || (st.call ? st.call.split(' ')[0] : st.method);
        steps.push({ who, action, href: `#path-${s}-${i}` });
      });
    });
  });
  return { nodes, steps };
}
function refutedInJson() {
  const ids = [];
  for (const sc of report.scenarios || [])
    for (const c of sc.claims || []) if (!c.holds) ids.push(`claim-${c.id}`);
  const a = report.analysis && report.analysis.claims;
  for (const c of a || []) if (c.verdict !== 'holds') ids.push(`aclaim-${c.id}`);
  return ids.sort();
}

function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(fg, bg) {
  const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

(async () => {
  const userDir = fs.mkdtempSync('/tmp/iamguard-chromium-');
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    userDataDir: userDir,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const consoleErrors = [];
    const requests = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    const url = 'file://' + path.resolve(htmlPath);
    await page.goto(url, { waitUntil: 'load' });

    check(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
    const others = requests.filter((u) => u !== url);
    check(others.length === 0, `network requests besides the page: ${others.join(' ')}`);

    const broken = await page.evaluate(() => {
      const bad = [];
      for (const a of document.querySelectorAll('a[href^="#"]')) {
        const id = decodeURIComponent(a.getAttribute('href').slice(1));
        if (id && !document.getElementById(id)) bad.push(id);
      }
      return bad;
    });
    const nlinks = await page.evaluate(() => document.querySelectorAll('a[href^="#"]').length);
    check(nlinks > 0, 'the page has internal links');
    check(broken.length === 0, `links to nothing: ${broken.slice(0, 10).join(' ')}`);

    const want = expectedGraph();
    if (want.steps.length) {
      const graph = await page.evaluate(() => {
        const nodes = [...document.querySelectorAll('svg g.node')].map(
          (g) => g.querySelector('title').textContent);
        const edges = [...document.querySelectorAll('svg g.edge')].map((g) => {
          const a = g.querySelector('a');
          return {
            from: g.querySelector('title').textContent.split('->')[0],
            label: [...g.querySelectorAll('text')].map((t) => t.textContent).join(' '),
            href: a ? a.getAttribute('href') : null,
          };
        });
        return { nodes, edges };
      });
      check(graph.nodes.length === want.nodes.size,
        `graph nodes ${graph.nodes.length}, principals ${want.nodes.size}`);
      for (const n of want.nodes)
        check(graph.nodes.includes(n), `no graph node for ${n}`);
      for (const st of want.steps)
        check(graph.edges.some((e) => e.from === st.who && e.label.includes(st.action)),
          `no edge from ${st.who} labelled ${st.action} (${st.href})`);
      for (const e of graph.edges)
        check(/^#path-\d+-\d+$/.test(e.href || ''), `edge ${e.label} links to ${e.href}`);
      const hrefs = new Set(want.steps.map((st) => st.href));
      check(graph.edges.length <= want.steps.length && graph.edges.length >= 1,
        `${graph.edges.length} edges for ${want.steps.length} steps of ${hrefs.size} paths`);
    }

    if (kind === 'check') {
      const shown = await page.evaluate(() =>
        [...document.querySelectorAll('li.claim')]
          .filter((li) => li.querySelector(':scope > .badge.bad'))
          .map((li) => li.id).sort());
      check(JSON.stringify(shown) === JSON.stringify(refutedInJson()),
        `refuted claims shown ${shown} but the JSON says ${refutedInJson()}`);
      // Refuted first: no claim that holds comes before a refuted one.
      const order = await page.evaluate(() =>
        [...document.querySelectorAll('li.claim')].map((li) => !!li.querySelector(':scope > .badge.bad')));
      check(order.indexOf(false) === -1 || order.lastIndexOf(true) < order.indexOf(false),
        'refuted claims come first');
    }

    const a11y = await page.evaluate(() => {
      const levels = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => Number(h.tagName[1]));
      let skips = 0;
      for (let i = 1; i < levels.length; i++) if (levels[i] > levels[i - 1] + 1) skips++;
      const pairs = [...document.querySelectorAll('.badge.ok,.badge.bad,.counts li')].map((e) => {
        const s = getComputedStyle(e);
        return [s.color, s.backgroundColor];
      });
      return {
        lang: document.documentElement.lang,
        first: levels[0], h1: levels.filter((l) => l === 1).length, skips,
        imgsWithoutAlt: [...document.querySelectorAll('img:not([alt])')].length,
        svgTitles: [...document.querySelectorAll('svg')].every((s) => s.querySelector('title')),
        pairs,
      };
    });
    check(a11y.lang === 'en', 'html has lang');
    check(a11y.first === 1 && a11y.h1 === 1, 'one h1, first');
    check(a11y.skips === 0, `heading levels skipped ${a11y.skips} times`);
    check(a11y.imgsWithoutAlt === 0, 'every img has alt text');
    check(a11y.svgTitles, 'every svg has a title');
    for (const [fg, bg] of a11y.pairs)
      check(contrast(fg, bg) >= 4.5, `contrast of ${fg} on ${bg} is ${contrast(fg, bg).toFixed(2)}`);

    await page.screenshot({ path: shotPath, fullPage: false });
    check(fs.statSync(shotPath).size > 10000, 'screenshot written');
  } finally {
    await browser.close();
    fs.rmSync(userDir, { recursive: true, force: true });
  }
  for (const f of failures) console.log(`  FAIL ${kind}: ${f}`);
  console.log(`browser ${kind}: ${checks - failures.length} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
})().catch((e) => {
  console.log(`  FAIL ${kind}: ${e && e.stack || e}`);
  process.exit(1);
});
