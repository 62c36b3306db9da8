// Builds app/static/govuk-frontend/ from the pinned govuk-frontend package (npm ci, then npm run build).
//
// It compiles govuk.scss (the package's Sass, set to Arial: GDS Transport is for GOV.UK services only)
// with the pinned sass, copies the images that stylesheet loads, and changes the stylesheet so that it
// works wherever the service is mounted (PUBLIC_BASE_URL may have a path prefix) and can be cached for
// a year:
// - its /assets/... addresses become relative to the stylesheet, each with ?v= and the first 16 hex
//   digits of the SHA-256 of the file it loads (app/guidance/assets.py caches a file for a year only
//   when its ?v= is that fingerprint);
// The package has no licence file of its own (package.json says MIT); govuk-frontend-LICENSE.txt is
// the licence from its repository, copied beside the files.
//
// Usage: node build.mjs [output folder], by default ../app/static/govuk-frontend.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const output = resolve(process.argv[2] ?? join(here, "..", "app", "static", "govuk-frontend"));
const packageRoot = join(here, "node_modules", "govuk-frontend");
const dist = join(packageRoot, "dist", "govuk");

const pinned = JSON.parse(readFileSync(join(here, "package.json"), "utf8")).dependencies["govuk-frontend"];
const installed = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
if (installed.version !== pinned) {
  throw new Error(`node_modules has govuk-frontend ${installed.version}, package.json pins ${pinned}: run npm ci`);
}
if (installed.license !== "MIT") {
  throw new Error(`govuk-frontend ${installed.version} is licensed ${installed.license}, not MIT: check it first`);
}

// Written, not copied, so that every file gets the usual mode (the package ships some files executable).
const copy = (from, to) => writeFileSync(to, readFileSync(from));
const fingerprint = (path) => createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 16);

let { css } = sass.compile(join(here, "govuk.scss"), {
  loadPaths: [join(here, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
const loaded = new Set();
css = css.replace(/url\((["']?)\/assets\/([^"')?#]+)\1\)/g, (_, quote, asset) => {
  loaded.add(asset);
  return `url(${quote}assets/${asset}?v=${fingerprint(join(dist, "assets", asset))}${quote})`;
});
const elsewhere = css.match(/url\((["']?)(\/|[a-z]+:)[^)]*\)/g);
if (elsewhere) {
  throw new Error(`the stylesheet loads something the build does not copy: ${elsewhere.join(", ")}`);
}

rmSync(output, { recursive: true, force: true });
for (const asset of loaded) {
  mkdirSync(dirname(join(output, "assets", asset)), { recursive: true });
  copy(join(dist, "assets", asset), join(output, "assets", asset));
}
writeFileSync(join(output, "govuk-frontend.min.css"), css);
copy(join(here, "govuk-frontend-LICENSE.txt"), join(output, "LICENSE.txt"));
console.log(`govuk-frontend ${installed.version}: ${output} (the stylesheet and ${loaded.size} files it loads)`);
