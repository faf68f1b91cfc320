// Decap CMS's own serialisers, run outside the browser: stdin is JSON
// [{format: "yaml"|"frontmatter", data: {...}, keys: [...]}], stdout the JSON
// list of file texts, each exactly as the CMS would commit it.
// Decap's ES modules import their neighbours (and files of other packages) without the `.js` extension,
// which Node's resolver refuses; the hook below adds it, and nothing else.
import { register } from "node:module";
import { readFileSync } from "node:fs";

register("data:text/javascript," + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); }
  catch (error) { if (!specifier.endsWith(".js") && error.code === "ERR_MODULE_NOT_FOUND") return next(specifier + ".js", context); throw error; }
}`), import.meta.url);

const formats = "decap-cms-core/dist/esm/formats/";
const yaml = (await import(formats + "yaml.js")).default;
const { FrontmatterInfer } = await import(formats + "frontmatter.js");
const frontmatter = FrontmatterInfer;  // what config.yml's `format: frontmatter` selects
const version = JSON.parse(readFileSync(new URL(import.meta.resolve("decap-cms-core/package.json")))).version;

const entries = JSON.parse(readFileSync(0, "utf8"));
const texts = entries.map(({ format, data, keys }) =>
  format === "yaml" ? yaml.toFile(data, keys) : frontmatter.toFile(data, keys));
process.stdout.write(JSON.stringify({ version, texts }));
