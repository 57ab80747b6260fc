// End-to-end tests of the web workbench: `escp serve` driven in headless
// Chromium (Debian's package) by Playwright, as a project officer uses it.
// run.sh starts the server and passes its address in ESCP_URL, the binary
// in ESCP_BIN and a folder for downloads and timings in ESCP_OUT.

import { test as nodeTest, before, after } from "node:test";

// Each test has a minute: a page that never settles fails, it does not hang.
const test = (name, fn, timeout = 60_000) => nodeTest(name, { timeout }, fn);
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { chromium } from "playwright-core";

const URL = process.env.ESCP_URL;
const BIN = process.env.ESCP_BIN;
const OUT = process.env.ESCP_OUT;
const ROOT = path.resolve(import.meta.dirname, "../..");
const TODAY = "2020-11-01";

let browser;
let page;
/** Another site the last test visits (its requests are allowed). */
let elsewhere = null;

before(async () => {
  assert.ok(URL && BIN && OUT, "run through tests/workbench/run.sh");
  const profile = fs.mkdtempSync(path.join(OUT, "profile-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport: { width: 1600, height: 1000 },
    acceptDownloads: true,
  });
  page = await browser.newPage();
  page.on("pageerror", (e) => { throw e; });
  // Nothing may be fetched from anywhere but the server.
  page.on("request", (r) => {
    const u = r.url();
    const allowed = [URL, "blob:", "data:", elsewhere].filter(Boolean);
    if (!allowed.some((a) => u.startsWith(a))) {
      throw new Error(`the page fetched ${u}`);
    }
  });
  await page.goto(URL);
  await page.fill("#today", TODAY);
  await page.dispatchEvent("#today", "change");
});

after(async () => {
  await browser?.close();
});

/** Waits until the page shows the answer to every change made so far. */
async function settled() {
  await page.waitForFunction(() => {
    const busy = document.querySelector("#busy").textContent;
    return !busy.startsWith("Checking");
  });
  await page.waitForTimeout(50);
  await page.waitForFunction(() => !document.querySelector("#busy").textContent.startsWith("Checking"));
}

async function verdict() {
  await settled();
  return (await page.textContent("#verdict .word")).trim();
}

/** `escp check --format json` of a file: its status. */
function cliStatus(file) {
  const run = spawnSync(BIN, ["check", "--format", "json", "--today", TODAY, file], { encoding: "utf8" });
  return JSON.parse(run.stdout).files[0].status;
}

test("a not-ready file shows NOT READY with each diagnostic beside its field", async () => {
  await page.setInputFiles("#file", path.join(ROOT, "examples/2020-strand-a-not-ready.toml"));
  assert.equal(await verdict(), "NOT READY");
  // The Swiss partner's country: beside partner 2, with help, basis and sources.
  const row = page.locator('.diagnostics[data-place="partner.1"] .diag');
  await row.first().waitFor();
  const text = await row.first().textContent();
  assert.match(text, /eligible-country/);
  assert.match(text, /Basis: /);
  assert.ok(await row.first().locator("a[href^='http']").count() > 0, "its sources are links");
  assert.equal(await page.getAttribute("#p-1-country", "aria-invalid"), "true");
  assert.match(await page.textContent("#p-1-country-status"), /Switzerland: not eligible/);
  // The grant, beside its field.
  assert.match(await page.textContent('.diagnostics[data-place="proposal.requested_grant_eur"]'), /max-grant/);
  // The readiness summary.
  assert.match(await page.textContent("#checks"), /distinct-countries/);
});

test("fixing it in the form makes it READY, and the text keeps its comments", async () => {
  const timings = [];
  const mark = () => page.evaluate(() => window.escpTimings.length);
  await page.fill("#p-1-country", "DE");
  await page.selectOption("#p-2-eccp", "registered");
  await page.fill("#f-requested_grant_eur", "540000");
  await page.fill("#t-1-value", "CA");
  await settled();
  // The misspelt key, with the fix its diagnostic offers.
  await page.getByRole("button", { name: /Fix: rename `sme_member`/ }).click();
  assert.equal(await verdict(), "READY");
  const text = await page.inputValue("#text");
  assert.match(text, /^# A consortium NOT ready/);
  assert.match(text, /sme_members = 40/);
  assert.match(text, /country = "CA"/);

  // From a keystroke to the new verdict, typed one key at a time.
  await page.click("#f-acronym");
  await page.keyboard.press("End");
  const start = await mark();
  for (const key of "-2") {
    await page.keyboard.type(key);
    await settled();
  }
  await page.keyboard.press("Backspace");
  await settled();
  await page.keyboard.press("Backspace");
  assert.equal(await verdict(), "READY");
  const all = await page.evaluate(() => window.escpTimings);
  timings.push(...all.slice(start));
  assert.ok(timings.length >= 3, JSON.stringify(timings));
  // Type a burst without waiting: the page answers the newest text.
  await page.fill("#f-acronym", "");
  await page.type("#f-acronym", "FOOD4i", { delay: 5 });
  assert.equal(await verdict(), "READY");
  assert.equal(await page.inputValue("#f-acronym"), "FOOD4i");
  const burst = (await page.evaluate(() => window.escpTimings)).slice(start);
  fs.writeFileSync(path.join(OUT, "timings.json"), JSON.stringify(burst));
  const sorted = burst.map((t) => t.latency).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const servers = burst.map((t) => t.server).filter((s) => s !== null).sort((a, b) => a - b);
  console.log(`keystroke to verdict: median ${median.toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms over ${sorted.length}; server time median ${servers[Math.floor(servers.length / 2)].toFixed(2)} ms`);
  assert.ok(median <= 100, `median ${median} ms`);
});

test("the downloaded consortium file has the same verdict with escp check", async () => {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-toml")]);
  const file = path.join(OUT, "downloaded.toml");
  await download.saveAs(file);
  assert.equal(download.suggestedFilename(), "2020-strand-a-not-ready.toml");
  assert.equal(cliStatus(file), "ready");
  assert.equal(fs.readFileSync(file, "utf8"), await page.inputValue("#text"));

  const [workbook] = await Promise.all([page.waitForEvent("download"), page.click("#download-xlsx")]);
  const xlsx = path.join(OUT, "downloaded.xlsx");
  await workbook.saveAs(xlsx);
  const imported = spawnSync(BIN, ["import", xlsx, "--format", "json", "--today", TODAY], { encoding: "utf8" });
  assert.equal(JSON.parse(imported.stdout).report.files[0].status, "ready");
});

test("the print view is the readiness report alone, and prints to PDF", async () => {
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible("#print-report"), true);
  assert.equal(await page.isVisible("#form"), false);
  assert.match(await page.textContent("#print-report"), /Readiness report: FOOD4i/);
  const pdf = await page.pdf({ format: "A4" });
  fs.writeFileSync(process.env.PDF ?? path.join(OUT, "report.pdf"), pdf);
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  await page.emulateMedia({ media: "screen" });
});

test("the text view and the form stay in step", async () => {
  const text = await page.inputValue("#text");
  await page.fill("#text", text.replace('acronym = "FOOD4i"', 'acronym = "TYPED"'));
  await settled();
  assert.equal(await page.inputValue("#f-acronym"), "TYPED");
  await page.fill("#text", "call = [\n");
  assert.equal(await verdict(), "UNCHECKED");
  assert.match(await page.textContent("#text-diagnostics"), /syntax/);
  assert.equal(await page.isDisabled("#f-acronym"), true);
});

test("a call's starter file, then a partner added and removed in the table", async () => {
  await page.selectOption("#new-call", "COS-CLUSINT-2020-3-01");
  await page.selectOption("#new-strand", "B");
  await page.click("#new-form button[type=submit]");
  assert.equal(await verdict(), "NOT READY");
  assert.match(await page.inputValue("#text"), /^# Consortium file for COS-CLUSINT-2020-3-01/);
  const rows = () => page.locator("#partners tbody tr:not(.diag-row)").count();
  const before = await rows();
  await page.click("#add-partner");
  await settled();
  assert.equal(await rows(), before + 1);
  // Focus goes to the new partner's first field.
  assert.equal(await page.evaluate(() => document.activeElement.id), `p-${before}-short_name`);
  await page.click(`#p-${before}-remove`);
  await settled();
  assert.equal(await rows(), before);
  // A target market that is a world region.
  await page.selectOption("#t-0-kind", "region");
  await page.fill("#t-0-value", "Mercosur");
  await settled();
  assert.match(await page.inputValue("#text"), /\[\[target\]\]\nregion = "Mercosur"/);
});

test("a consortium file dropped on the page is opened", async () => {
  const text = fs.readFileSync(path.join(ROOT, "examples/2020-strand-b-ready.toml"), "utf8");
  await page.evaluate((content) => {
    const data = new DataTransfer();
    data.items.add(new File([content], "dropped.toml", { type: "text/plain" }));
    document.querySelector("#form").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, text);
  assert.equal(await verdict(), "READY");
  assert.match(await page.textContent("#start-messages"), /Opened dropped\.toml/);
  assert.equal(await page.inputValue("#text"), text);
});

test("a spreadsheet is imported into the form", async () => {
  await page.setInputFiles("#file", path.join(ROOT, "tests/fixtures/spreadsheets/filled-template.xlsx"));
  await settled();
  assert.match(await page.textContent("#start-messages"), /Imported filled-template\.xlsx/);
  assert.match(await page.inputValue("#text"), /# From Partners!/);
  assert.ok(await page.locator("#partners tbody tr:not(.diag-row)").count() >= 3);
  const status = JSON.parse(execFileSync(BIN, ["import", path.join(ROOT, "tests/fixtures/spreadsheets/filled-template.xlsx"), "--format", "json", "--today", TODAY], { encoding: "utf8" }).toString()).report.files[0].status;
  const shown = { ready: "READY", incomplete: "INCOMPLETE", "not-ready": "NOT READY" }[status];
  assert.equal(await verdict(), shown);
  if (process.env.SCREENSHOT) {
    // The picture of docs/workbench.md: a file that is not ready, from the verdict down.
    await page.setInputFiles("#file", path.join(ROOT, "examples/2020-strand-a-not-ready.toml"));
    await settled();
    await page.evaluate(() => window.scrollTo(0, document.querySelector("#start").getBoundingClientRect().bottom + window.scrollY - 8));
    await page.screenshot({ path: process.env.SCREENSHOT, fullPage: false });
  }
});

test("no serious accessibility violation (axe-core), and it reflows at 200% zoom", async () => {
  const axe = fs.readFileSync(path.join(import.meta.dirname, "node_modules/axe-core/axe.min.js"), "utf8");
  await page.evaluate(axe);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), []);
  // 200% zoom of a 1280-pixel window: 640 CSS pixels wide.
  await page.setViewportSize({ width: 640, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
  await page.setViewportSize({ width: 1600, height: 1000 });
});

test("every control is reached with the Tab key, its focus visible", async () => {
  // From the top of the page: the link that skips to the verdict comes first.
  await page.focus("a.skip");
  assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).left), "8px");
  const reached = new Set();
  let invisible = [];
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press("Tab");
    const { id, outline, inner } = await page.evaluate(() => {
      const e = document.activeElement;
      // The date field's calendar button is a part of the browser's own
      // inside the field (its focus is styled by ::-webkit-calendar-picker-indicator).
      return { id: e.id, outline: getComputedStyle(e).outlineStyle, inner: !e.matches(":focus") };
    });
    if (id) reached.add(id);
    if (outline === "none" && id && !inner) invisible.push(id);
    if (id === "text") break;
  }
  for (const id of ["new-call", "file", "today", "download-toml", "print", "f-call", "f-acronym", "f-actions-preparatory", "p-0-country", "p-0-remove", "add-partner", "t-0-kind", "add-target", "text"]) {
    assert.ok(reached.has(id), `${id} is not reached with Tab`);
  }
  assert.deepEqual(invisible, [], "focus is visible on every control");
});

test("a request from another site is refused", async () => {
  // A page of another origin (another port of this machine) posting to the workbench.
  const other = http.createServer((req, res) => {
    res.setHeader("Content-Type", "text/html");
    res.end(`<!doctype html><title>other</title><form id=f method=post action="${URL}api/check" enctype="text/plain"><input name=a value=b aria-label=a><button id=send>Send</button></form>`);
  });
  await new Promise((resolve) => other.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${other.address().port}`;
  // The workbench's own page goes to the other site: a new tab of a
  // persistent context sometimes never opens in headless Chromium here.
  elsewhere = origin;
  const visitor = page;
  visitor.setDefaultTimeout(10_000);
  const visit = async () => {
    {
      await visitor.goto(origin);
      // A fetch gets no answer it could read (no CORS header is ever sent)...
      const fetched = await visitor.evaluate(async (url) => {
        try {
          await fetch(`${url}api/check`, { method: "POST", body: "call = \"x\"", signal: AbortSignal.timeout(8000) });
          return "answered";
        } catch (e) {
          return e.name === "TimeoutError" ? "timeout" : "blocked";
        }
      }, URL);
      if (fetched === "timeout") throw Object.assign(new Error("the fetch got no answer in time"), { name: "TimeoutError" });
      assert.equal(fetched, "blocked");
      // ...and a plain form post, which needs no CORS, is refused.
      const [posted] = await Promise.all([
        visitor.waitForResponse((r) => r.url().startsWith(`${URL}api/check`)),
        visitor.click("#send", { noWaitAfter: true }),
      ]);
      assert.equal(posted.status(), 403);
    }
  };
  try {
    // A browser step that times out (the machine is shared) is tried
    // again; a wrong answer fails at once.
    for (let attempt = 1; ; attempt++) {
      try {
        await visit();
        break;
      } catch (e) {
        if (e.name !== "TimeoutError" || attempt === 3) throw e;
        console.error(`attempt ${attempt} timed out: ${e.message}`);
      }
    }
  } finally {
    other.close();
  }
}, 100_000);
