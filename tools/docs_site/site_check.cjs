// The built documentation site in a real headless browser (Debian's Chromium, driven by playwright-core):
//   node tools/docs_site/site_check.cjs SPEC.json
// SPEC: {"base": "http://127.0.0.1:PORT/", "pages": ["", "reference/MediaLiveTrustedRole/", ...],
//        "props": {"reference/MediaLiveTrustedRole/": ["role_name", ...]}, "search": {"query": "...", "page": "..."},
//        "screenshot": {"page": "...", "path": "/.../site.png"}, "chromium": "/usr/bin/chromium"}
// Checks every page loads with no console error, no page error and no failed request (status >= 400 included);
// Material's search finds SPEC.search.query and its result leads to SPEC.search.page; each page of SPEC.props
// lists those names in its parameter tables. Prints one JSON object ({"problems": [...], ...}); exit 1 on a problem.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  if (!fs.existsSync(spec.chromium)) {
    throw new Error(`no browser at ${spec.chromium}: apt-get install -y chromium (bash scripts/test.sh does it)`);
  }
  const { chromium } = require("playwright-core");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "site-check-"));
  // a fresh profile (--user-data-dir, which playwright takes as the persistent context's directory)
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: spec.chromium,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const problems = [];
  const timings = {};
  try {
    const page = browser.pages()[0] || await browser.newPage();
    let current = "";
    page.on("console", (m) => { if (m.type() === "error") problems.push(`${current}: console error: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`${current}: page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`${current}: request failed: ${r.url()} (${r.failure().errorText})`));
    page.on("response", (r) => { if (r.status() >= 400) problems.push(`${current}: HTTP ${r.status()}: ${r.url()}`); });

    let start = Date.now();
    for (const p of spec.pages) {
      current = p || "/";
      const response = await page.goto(spec.base + p, { waitUntil: "load" });
      if (!response || !response.ok()) problems.push(`${current}: not loaded (${response && response.status()})`);
      const h1 = await page.locator("article h1").count();
      if (h1 === 0) problems.push(`${current}: no heading in the article`);
      const names = spec.props[p];
      if (names) {
        const cells = await page.locator("table code").allTextContents();
        for (const n of names) if (!cells.includes(n)) problems.push(`${current}: prop ${n} not in a parameter table`);
      }
    }
    timings.pages_s = (Date.now() - start) / 1000;

    start = Date.now();
    current = "search";
    await page.goto(spec.base, { waitUntil: "load" });
    const input = page.locator("input.md-search__input");  // in the header at a desktop width
    await input.click();
    await input.pressSequentially(spec.search.query, { delay: 20 });  // typed, as a reader does
    const result = page.locator(`.md-search-result__item a[href*="${spec.search.page}"]`).first();
    await result.waitFor({ state: "visible", timeout: 15000 });
    await result.click();
    await page.waitForURL((u) => u.pathname.includes(spec.search.page), { timeout: 15000 });
    const landed = new URL(page.url()).pathname;
    if (!landed.includes(spec.search.page)) problems.push(`search: the result led to ${landed}, not ${spec.search.page}`);
    timings.search_s = (Date.now() - start) / 1000;

    current = "screenshot";
    await page.goto(spec.base + spec.screenshot.page, { waitUntil: "load" });
    await page.screenshot({ path: spec.screenshot.path, fullPage: false });
    console.log(JSON.stringify({ problems, timings, pages: spec.pages.length, landed }));
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => { console.log(JSON.stringify({ problems: [`site check: ${e.message}`] })); process.exit(2); });
