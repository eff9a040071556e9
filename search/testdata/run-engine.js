// run-engine.js loads the static search engine and manifests given as
// arguments the way a browser's <script> tags would, loads chunks from the
// directory of the first as the engine asks, then answers the requests
// read as a JSON array on stdin with a JSON array on stdout, in order:
// {locale, q, limit, collection} runs a search, {analyze, script} returns
// the engine's terms for a text, {loaded: true} the names of the chunks
// loaded since the last such request.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const files = process.argv.slice(2);
const dir = path.dirname(files[0]);
let hs;
let loaded = [];

// session starts a page that has loaded the scripts.
function session(scripts) {
  const context = vm.createContext({});
  for (const file of scripts) {
    vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
  }
  hs = context.helpsiteSearch;
  hs.base = dir + path.sep;
  hs.load = (url) => {
    vm.runInContext(fs.readFileSync(url, 'utf8'), context, { filename: url });
    loaded.push(path.basename(url));
    return Promise.resolve();
  };
  loaded = [];
}
session(files);

async function main() {
  const requests = JSON.parse(fs.readFileSync(0, 'utf8'));
  const answers = [];
  for (const r of requests) {
    if (r.analyze !== undefined) {
      answers.push(hs.analyze(r.analyze, r.script));
    } else if (r.session) {
      session([files[0], path.join(dir, 'search-' + r.session + '.js')]);
      answers.push(null);
    } else if (r.loaded) {
      answers.push(loaded);
      loaded = [];
    } else {
      answers.push(await hs.search(r.locale, r.q, { limit: r.limit, collection: r.collection }));
    }
  }
  process.stdout.write(JSON.stringify(answers));
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
