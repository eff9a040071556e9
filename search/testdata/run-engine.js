// run-engine.js loads the static search engine and indexes given as
// arguments the way a browser's <script> tags would, then answers the
// requests read as a JSON array on stdin with a JSON array on stdout:
// {locale, q, limit, collection} runs a search, {analyze, script} returns
// the engine's terms for a text.
'use strict';
const fs = require('fs');
const vm = require('vm');

const context = vm.createContext({});
for (const file of process.argv.slice(2)) {
  vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
}
const hs = context.helpsiteSearch;
const requests = JSON.parse(fs.readFileSync(0, 'utf8'));
const answers = requests.map((r) =>
  r.analyze !== undefined
    ? hs.analyze(r.analyze, r.script)
    : hs.search(r.locale, r.q, { limit: r.limit, collection: r.collection }));
process.stdout.write(JSON.stringify(answers));
