// Run axe-core on HTML pages in headless Chromium and print the violations as JSON.
//
//   node tools/a11y/axe_check.cjs NODE_MODULES CHROMIUM PAGE.html...
//
// NODE_MODULES holds axe-core@4 and playwright-core (installed with `npm install --no-save`, never
// committed); CHROMIUM is the browser to drive (Debian's /usr/bin/chromium). Prints
// {"axe": VERSION, "pages": [{"file", "violations": [{"id", "impact", "help", "targets"}], "passes"}]}.
// Exits 0 whatever axe finds (the caller judges), 2 on a usage or browser error.
"use strict";
const path = require("path");
const fs = require("fs");

async function main(argv) {
  if (argv.length < 3) {
    console.error("usage: node axe_check.cjs NODE_MODULES CHROMIUM PAGE.html...");
    return 2;
  }
  const [modules, chromium, ...pages] = argv;
  const { chromium: launcher } = require(path.join(modules, "playwright-core"));
  const axePath = path.join(modules, "axe-core", "axe.min.js");
  const axeVersion = JSON.parse(fs.readFileSync(path.join(modules, "axe-core", "package.json"), "utf8")).version;
  const browser = await launcher.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],  // playwright gives each launch a fresh profile
  });
  const results = [];
  try {
    for (const file of pages) {
      const page = await browser.newPage();
      await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
      await page.addScriptTag({ path: axePath });
      const outcome = await page.evaluate(async () => {
        // Every rule axe has, best practices included (experimental ones are off by default).
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        return { violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                                         targets: v.nodes.map(n => n.target.join(" ")) })),
                 passes: r.passes.length };
      });
      results.push({ file, ...outcome });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ axe: axeVersion, pages: results }, null, 1) + "\n");
  return 0;
}

main(process.argv.slice(2)).then(code => process.exit(code), err => { console.error(String(err)); process.exit(2); });
