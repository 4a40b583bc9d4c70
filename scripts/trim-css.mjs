// Bootstrap's stylesheets trimmed to the selectors the site uses (PurgeCSS), so that a page with
// its styles and scripts stays under 200 kB even uncompressed: Bootstrap's whole stylesheet is
// 232 kB, what the site uses about a fifth of it.
//
// A selector stays when every class, id and element in it appears as a word in a template, in the
// Python that writes pages (form widgets, views, template tags) or in our scripts. Run by
// `make assets` (and the Dockerfile); writes build/css/bootstrap.min.css and bootstrap.rtl.min.css,
// served as static/css/bootstrap/. tests/e2e/test_trimmed_styles.py opens every page with the
// trimmed and with the whole stylesheet and compares every element's computed style.
//
//   node scripts/trim-css.mjs            (from the project's root)

import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PurgeCSS } from "purgecss";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "node_modules/bootstrap/dist/css");
const out = path.join(root, "build/css");
const apps = ["tracker", "recommendations", "plans", "reporting"];

const content = [
  "templates/**/*.html",
  ...apps.flatMap((app) => [`${app}/**/*.html`, `${app}/**/*.py`]),
  "static/js/**/*.js",
].map((glob) => path.join(root, glob));
// Attributes that Django's form widgets write (not in our files): Bootstrap styles a select with
// `multiple` or `size` without its arrow, and disabled and read-only fields apart.
const widgets = { raw: "<select multiple size disabled readonly></select>", extension: "html" };

// Classes a template writes from a value rather than literally: the messages framework's levels
// (templates/base.html: alert-{{ message.level_tag }}).
const safelist = { standard: [/^alert-/] };

await mkdir(out, { recursive: true });
for (const name of ["bootstrap.min.css", "bootstrap.rtl.min.css"]) {
  const [result] = await new PurgeCSS().purge({
    content: [...content, widgets],
    css: [path.join(source, name)],
    safelist,
    // Keep what the kept rules may name: custom properties and animations are cheap.
    variables: false,
    keyframes: false,
    fontFace: false,
  });
  // The source map describes the whole file, and ManifestStaticFilesStorage would look for it.
  const css = result.css.replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "");
  const before = (await readFile(path.join(source, name))).length;
  await writeFile(path.join(out, name), css);
  console.log(`${name}: ${before} → ${Buffer.byteLength(css)} bytes`);
}
