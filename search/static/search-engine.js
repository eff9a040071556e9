/*
 * helpsite static search engine.
 *
 * Searches the static indexes that search-<locale>.js scripts (manifests)
 * register in helpsiteSearch.indexes, in the browser, without a server (it
 * works from file://). The index format is documented in helpsite's search
 * package (static.go); its terms come from the same analyzers as the
 * server's index. Queries are tokenized like the server does it:
 * lowercased, accents folded, Arabic normalized, CJK text as bigrams.
 *
 * A manifest holds the dictionary and what ranking needs; a query loads
 * the chunks with the postings of the terms it matches, then those with
 * the titles and snippets of the articles it shows, as plain scripts from
 * helpsiteSearch.base (the URL of the search directory) by
 * helpsiteSearch.load(url), which a host may replace.
 *
 * The browser cannot stem. The index maps each word form its articles use
 * to its stem, so a word they use finds all its forms, as on the server.
 * A form they never use (say "configured" where they say "configure" and
 * "configuration") is matched, in this order, as a prefix (for the word
 * being typed), within one or two typos, or by its longest prefix that is a
 * stem ("configur"): it finds what the server finds in most cases, but not
 * all. Typos are looked for only when a word is not found as such; two
 * neighbouring letters swapped count as one typo, and in CJK text a run
 * with an unknown bigram is tried with two neighbouring characters swapped.
 *
 * API: helpsiteSearch.search(locale, query, {limit, collection}) returns a
 * promise of {query, locale, total, results: [{id, title, url, snippet,
 * breadcrumb, score}]} like the server's /api/search, or of null if the
 * locale's manifest is not loaded. snippet is HTML: the text escaped, the
 * matches in <mark>.
 */
(function (g) {
  'use strict';

  var hs = (g.helpsiteSearch = g.helpsiteSearch || {});
  hs.indexes = hs.indexes || {};
  hs.chunks = hs.chunks || {};

  var VERSION = 2;
  var DEFAULT_LIMIT = 10;
  var MAX_LIMIT = 50;
  var MAX_QUERY = 256;
  var MAX_EXPANSIONS = 10; // terms a prefix or a typo may stand for
  var MAX_TERMS = 16; // query terms searched, the last ones

  // Weights of a match by field and by kind of match.
  var TITLE = 10, HEADING = 3, BODY = 1;
  var EXACT = 1, STEM = 0.8, PREFIX = 0.7, FUZZY1 = 0.5, FUZZY2 = 0.35;
  var STOP = -1;

  // --- text analysis: mirrors the bleve analyzers of static.go ---

  var FOLD_SPECIAL = {
    'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'đ': 'd', 'ð': 'd', 'ł': 'l', 'þ': 'th', 'ı': 'i', 'ё': 'е'
  };
  var FOLD_SPECIAL_RE = /[ßæœøđðłþıё]/g;
  var LATIN_MARKS_RE = /(\p{Script=Latin})\p{Mn}+/gu;
  var NON_ASCII_RE = /[^\x00-\x7f]/;

  // fold removes the diacritics of Latin letters, like fold in analysis.go.
  function fold(s) {
    if (!NON_ASCII_RE.test(s)) return s;
    s = s.replace(FOLD_SPECIAL_RE, function (c) { return FOLD_SPECIAL[c]; });
    return s.normalize('NFD').replace(LATIN_MARKS_RE, '$1').normalize('NFC');
  }

  // normalizeArabic is bleve's normalize_ar: one alef, yeh and heh, no
  // tatweel or harakat.
  function normalizeArabic(s) {
    return s.replace(/[\u0622\u0623\u0625]/g, '\u0627').replace(/\u0649/g, '\u064A')
      .replace(/\u0629/g, '\u0647').replace(/[\u0640\u064B-\u0652]/g, '');
  }

  // normalizePersian is bleve's normalize_fa.
  function normalizePersian(s) {
    return s.replace(/[\u06CC\u06D2]/g, '\u064A').replace(/\u06A9/g, '\u0643')
      .replace(/[\u06C0\u06C1]/g, '\u0647').replace(/\u0654/g, '');
  }

  // normalizeTerm turns a token as written into an index term.
  function normalizeTerm(s, script) {
    if (script) s = s.normalize('NFKC');
    s = fold(s.toLowerCase());
    if (script === 'ar' || script === 'fa') s = normalizeArabic(s);
    if (script === 'fa') s = normalizePersian(s);
    return s;
  }

  var IDEOGRAPH_RE = /[\p{Script=Han}\p{Script=Hiragana}\u3005\u3006]/u;
  var KANA_RE = /[\p{Script=Katakana}\u30FC\uFF70\uFF9E\uFF9F]/u;
  var CJK_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u3006\u30FC\uFF70\uFF9E\uFF9F]/u;
  var WORD_RE = /[\p{L}\p{N}\p{M}_]/u;
  var DIGIT_RE = /\p{N}/u;
  var MID_LETTER_RE = /['’.:·]/; // joins letters or digits
  var MID_NUM_RE = /[,;]/; // joins digits

  // tokenize splits text into tokens {text, start, end, cjk} the way
  // bleve's unicode tokenizer (Unicode word boundaries) does: words,
  // joined across an apostrophe, period or colon between letters and a
  // comma between digits; runs of katakana; other CJK characters alone.
  function tokenize(text) {
    var tokens = [];
    var chars = Array.from(text);
    var offsets = [0];
    chars.forEach(function (c, k) { offsets.push(offsets[k] + c.length); });
    function word(k) { return k < chars.length && WORD_RE.test(chars[k]) && !CJK_RE.test(chars[k]); }
    function digit(k) { return k < chars.length && DIGIT_RE.test(chars[k]); }
    var i = 0;
    while (i < chars.length) {
      var c = chars[i];
      var j = i + 1;
      if (KANA_RE.test(c)) {
        while (j < chars.length && KANA_RE.test(chars[j])) j++;
      } else if (word(i)) {
        for (;;) {
          while (word(j)) j++;
          if (MID_LETTER_RE.test(chars[j]) && word(j + 1) || MID_NUM_RE.test(chars[j]) && digit(j - 1) && digit(j + 1)) {
            j += 2;
            continue;
          }
          break;
        }
      } else if (!IDEOGRAPH_RE.test(c)) {
        i++;
        continue;
      }
      tokens.push({ text: chars.slice(i, j).join(''), start: offsets[i], end: offsets[j], cjk: CJK_RE.test(c) });
      i = j;
    }
    return tokens;
  }

  // analyze returns the terms of text {term, start, end}: normalized
  // tokens, CJK characters paired into overlapping bigrams in CJK locales
  // (a lone one stays a unigram), like bleve's cjk_bigram filter.
  function analyze(text, script) {
    var out = [];
    var run = [];
    function flush() {
      if (run.length === 1) out.push(run[0]);
      for (var k = 0; k + 1 < run.length; k++) {
        out.push({ term: run[k].term + run[k + 1].term, start: run[k].start, end: run[k + 1].end });
      }
      run = [];
    }
    tokenize(text).forEach(function (t) {
      if (!(t.cjk && script === 'cjk')) {
        flush();
        out.push({ term: normalizeTerm(t.text, script), start: t.start, end: t.end });
        return;
      }
      if (run.length && run[run.length - 1].end !== t.start) flush();
      var start = t.start;
      Array.from(t.text).forEach(function (c) {
        run.push({ term: normalizeTerm(c, script), start: start, end: start + c.length });
        start += c.length;
      });
    });
    flush();
    return out;
  }

  // --- the index ---

  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DIGIT_VALUE = new Int8Array(128);
  for (var d = 0; d < DIGITS.length; d++) DIGIT_VALUE[DIGITS.charCodeAt(d)] = d;

  // decodeVLQ calls f with each number of a VLQ string and returns how many
  // there were.
  function decodeVLQ(s, f) {
    var count = 0, n = 0, scale = 1;
    for (var i = 0; i < s.length; i++) {
      var v = DIGIT_VALUE[s.charCodeAt(i)];
      n += (v & 31) * scale;
      if (v & 32) {
        scale *= 32;
      } else {
        f(n, count++);
        n = 0;
        scale = 1;
      }
    }
    return count;
  }

  function split(s) { return s ? s.split(' ') : []; }

  function indexOf(list) {
    var m = new Map();
    list.forEach(function (t, i) { m.set(t, i); });
    return m;
  }

  // vlqArray decodes a VLQ string into an Int32Array.
  function vlqArray(s) {
    var a = new Int32Array(decodeVLQ(s, function () {}));
    decodeVLQ(s, function (v, i) { a[i] = v; });
    return a;
  }

  // chunkTable splits a manifest's [first, file] pairs into starts and files.
  function chunkTable(pairs) {
    return {
      starts: Int32Array.from(pairs, function (p) { return p[0]; }),
      files: pairs.map(function (p) { return p[1]; })
    };
  }

  var prepared = new Map(); // manifest → prepared index

  // prepare decodes the tables of a manifest once.
  function prepare(raw) {
    var ix = prepared.get(raw);
    if (ix) return ix;
    if (raw.v !== VERSION) throw new Error('helpsite search: index version ' + raw.v + ', engine version ' + VERSION);
    var terms = split(raw.terms);
    var words = split(raw.words);
    var titleWeight = new Float64Array(raw.n);
    vlqArray(raw.titles).forEach(function (n, i) { titleWeight[i] = TITLE * 2 / Math.sqrt(Math.max(n, 1)); });
    ix = {
      raw: raw,
      script: raw.script,
      terms: terms,
      termIndex: indexOf(terms),
      df: vlqArray(raw.df),
      postChunks: chunkTable(raw.post),
      docChunks: chunkTable(raw.docs),
      docPath: vlqArray(raw.dpaths),
      postings: new Map(), // term index → decoded postings
      words: words,
      wordIndex: indexOf(words),
      wordStem: vlqArray(raw.stems),
      // A match in a short title counts more than one in a long title, as
      // in bleve's field norms.
      titleWeight: titleWeight
    };
    prepared.set(raw, ix);
    return ix;
  }

  // load loads the script at url; a host may replace it.
  hs.load = hs.load || function (url) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = url;
      s.onload = function () { resolve(); };
      s.onerror = function () {
        s.remove();
        reject(new Error('helpsite search: cannot load ' + url));
      };
      document.head.appendChild(s);
    });
  };

  var loading = new Map(); // chunk file → promise of its data

  // chunk returns a promise of the data of a chunk file, loading it once.
  function chunk(file) {
    var p = loading.get(file);
    if (p) return p;
    p = (hs.chunks[file] ? Promise.resolve() : hs.load((hs.base || '') + file)).then(function () {
      var data = hs.chunks[file];
      if (!data) throw new Error('helpsite search: ' + file + ' holds no chunk');
      if (data.post !== undefined && typeof data.post === 'string') data.post = data.post.split(',');
      return data;
    });
    p.catch(function () { loading.delete(file); }); // try again next time
    loading.set(file, p);
    return p;
  }

  // chunkOf returns the index of the chunk of table holding item i.
  function chunkOf(table, i) {
    var lo = 0, hi = table.starts.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (table.starts[mid] <= i) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  // loadChunks loads the chunks of table holding items, and returns a
  // promise of a function from an item to its chunk's data and its
  // position there.
  function loadChunks(table, items) {
    var need = new Set();
    items.forEach(function (i) { need.add(chunkOf(table, i)); });
    var ks = Array.from(need);
    return Promise.all(ks.map(function (k) { return chunk(table.files[k]); })).then(function (datas) {
      var byChunk = new Map();
      ks.forEach(function (k, j) { byChunk.set(k, datas[j]); });
      return function (i) {
        var k = chunkOf(table, i);
        return { data: byChunk.get(k), at: i - table.starts[k] };
      };
    });
  }

  // postings returns the postings of term i, whose chunk is loaded
  // (find gives it): parallel arrays of documents and codes (tf << 3 |
  // fields).
  function postings(ix, i, find) {
    var p = ix.postings.get(i);
    if (p) return p;
    var c = find(i);
    var s = c.data.post[c.at];
    var n = decodeVLQ(s, function () {});
    p = { docs: new Int32Array(n), codes: new Uint8Array(n) };
    var doc = 0;
    decodeVLQ(s, function (v, k) {
      doc += Math.floor(v / 32);
      p.docs[k] = doc;
      p.codes[k] = v & 31;
    });
    ix.postings.set(i, p);
    return p;
  }

  // stemOf returns the term index a normalized word stands for, or -1.
  function stemOf(ix, w) {
    var i = ix.termIndex.get(w);
    if (i !== undefined) return i;
    i = ix.wordIndex.get(w);
    return i === undefined ? -1 : ix.wordStem[i];
  }

  // lowerBound returns the first index of sorted list not below s.
  function lowerBound(list, s) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < s) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // withinEdits reports whether a and b are at most k edits (insertions,
  // deletions, substitutions, swaps of neighbouring letters) apart, as the
  // server counts them.
  function withinEdits(a, b, k) {
    if (Math.abs(a.length - b.length) > k) return false;
    var before = [], prev = [], cur = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur[0] = i;
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var ca = a.charCodeAt(i - 1), cb = b.charCodeAt(j - 1);
        var d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === cb ? 0 : 1));
        if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb && ca !== cb) {
          d = Math.min(d, before[j - 2] + 1);
        }
        cur[j] = d;
        if (d < best) best = d;
      }
      // A row's least value bounds those of the rows after it.
      if (best > k) return false;
      var t = before; before = prev; prev = cur; cur = t;
    }
    return prev[b.length] <= k;
  }

  // unswapCJK returns query with each CJK run that has a bigram the index
  // lacks fixed by the first swap of two neighbouring characters that
  // makes all its bigrams known, as the server does.
  function unswapCJK(ix, query) {
    if (ix.script !== 'cjk') return query;
    var known = function (t) { return stemOf(ix, t.term) >= 0; };
    var runs = []; // [start, end] of runs of overlapping bigrams
    analyze(query, 'cjk').forEach(function (t) {
      if (Array.from(t.term).length !== 2 || !CJK_RE.test(t.term)) return;
      var last = runs[runs.length - 1];
      if (last && t.start < last[1]) last[1] = t.end;
      else runs.push([t.start, t.end]);
    });
    for (var r = runs.length - 1; r >= 0; r--) {
      var text = query.slice(runs[r][0], runs[r][1]);
      if (analyze(text, 'cjk').every(known)) continue;
      var chars = Array.from(text);
      for (var i = 0; i + 1 < chars.length; i++) {
        var c = chars.slice();
        c[i] = chars[i + 1];
        c[i + 1] = chars[i];
        var swapped = c.join('');
        if (analyze(swapped, 'cjk').every(known)) {
          query = query.slice(0, runs[r][0]) + swapped + query.slice(runs[r][1]);
          break;
        }
      }
    }
    return query;
  }

  // expand returns the terms a query term stands for, as a Map from term
  // index to match quality: its stem; for the last term, the commonest terms
  // it starts; if there is neither, the commonest terms within a typo or
  // two, or else its longest prefix that is a term (a stem of it).
  function expand(ix, term, last) {
    var found = new Map();
    function add(i, q) {
      if (i >= 0 && !(found.get(i) >= q)) found.set(i, q);
    }
    // addCommonest adds the candidates {term, quality} with the best
    // quality, the commonest (longest postings) first among equals.
    function addCommonest(candidates) {
      candidates.sort(function (a, b) {
        return b.quality - a.quality || ix.df[b.term] - ix.df[a.term];
      });
      candidates.slice(0, MAX_EXPANSIONS).forEach(function (c) { add(c.term, c.quality); });
    }
    // scan returns the candidates among the terms and words from the one
    // from(list) returns on: quality(t) gives a candidate's quality, 0 for
    // none, STOP to end the scan of the list.
    function scan(from, quality) {
      var candidates = [];
      [ix.terms, ix.words].forEach(function (list) {
        for (var i = from(list); i < list.length; i++) {
          var q = quality(list[i]);
          if (q === STOP) break;
          if (q) candidates.push({ term: list === ix.terms ? i : ix.wordStem[i], quality: q });
        }
      });
      return candidates;
    }
    add(stemOf(ix, term), EXACT);
    var apostrophe = Math.max(term.lastIndexOf("'"), term.lastIndexOf('’'));
    if (apostrophe >= 0) add(stemOf(ix, term.slice(apostrophe + 1)), EXACT);
    var length = Array.from(term).length;
    var cjk = ix.script === 'cjk' && CJK_RE.test(term);
    if (last && length >= (cjk ? 1 : 2)) {
      addCommonest(scan(function (list) { return lowerBound(list, term); }, function (t) {
        return t.startsWith(term) ? PREFIX : STOP;
      }));
    }
    if (found.size || cjk || length < 4) return found;
    var k = length >= 8 ? 2 : 1;
    addCommonest(scan(function () { return 0; }, function (t) {
      return !withinEdits(term, t, k) ? 0 : withinEdits(term, t, 1) ? FUZZY1 : FUZZY2;
    }));
    for (var end = term.length - 1; !found.size && end >= 4; end--) {
      var stem = ix.termIndex.get(term.slice(0, end));
      if (stem !== undefined) add(stem, STEM);
    }
    return found;
  }

  // weight weighs a posting of doc by its fields.
  function weight(ix, doc, code) {
    return (code & 1 ? ix.titleWeight[doc] : 0) + (code & 2 ? HEADING : 0) + (code & 4 ? BODY * (1 + (code >> 3) / 2) : 0);
  }

  function escapeHTML(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' }[c];
    });
  }

  // highlight returns text as HTML with the words whose term is in
  // matched put in <mark>.
  function highlight(ix, text, matched) {
    var spans = []; // merged, in order: CJK bigrams overlap
    analyze(text, ix.script).forEach(function (t) {
      if (!matched.has(stemOf(ix, t.term))) return;
      var last = spans[spans.length - 1];
      if (last && t.start <= last.end) last.end = Math.max(last.end, t.end);
      else spans.push({ start: t.start, end: t.end });
    });
    var out = '';
    var pos = 0;
    spans.forEach(function (s) {
      out += escapeHTML(text.slice(pos, s.start)) + '<mark>' + escapeHTML(text.slice(s.start, s.end)) + '</mark>';
      pos = s.end;
    });
    return out + escapeHTML(text.slice(pos));
  }

  // search runs a query on the loaded index of locale, loading the chunks
  // it needs.
  hs.search = function (locale, query, options) {
    var raw = hs.indexes[locale];
    if (!raw) return Promise.resolve(null);
    var ix = prepare(raw);
    options = options || {};
    var limit = Math.min(Math.max(options.limit || DEFAULT_LIMIT, 1), MAX_LIMIT);
    query = String(query).slice(0, MAX_QUERY).trim();
    var result = { query: query, locale: raw.locale, total: 0, results: [] };

    var terms = [];
    analyze(unswapCJK(ix, query), ix.script).forEach(function (t) {
      var i = terms.indexOf(t.term);
      if (i >= 0) terms.splice(i, 1);
      terms.push(t.term);
    });
    terms = terms.slice(-MAX_TERMS);
    if (!terms.length) return Promise.resolve(result);

    var expansions = terms.map(function (term, qi) { return expand(ix, term, qi === terms.length - 1); });
    var needed = [];
    expansions.forEach(function (e) { e.forEach(function (q, ti) { needed.push(ti); }); });
    return loadChunks(ix.postChunks, needed).then(function (find) {
      // Per document, the sum over query terms of the score of their best
      // match, and how many query terms matched.
      var n = raw.n;
      var total = new Float64Array(n);
      var count = new Uint8Array(n);
      var best = new Float64Array(n);
      var matched = new Set(); // term indexes that matched
      expansions.forEach(function (e) {
        best.fill(0);
        e.forEach(function (quality, ti) {
          matched.add(ti);
          var p = postings(ix, ti, find);
          var idf = Math.log(1 + n / p.docs.length);
          for (var k = 0; k < p.docs.length; k++) {
            var doc = p.docs[k];
            var w = quality * idf * weight(ix, doc, p.codes[k]);
            if (w > best[doc]) best[doc] = w;
          }
        });
        for (var doc = 0; doc < n; doc++) {
          if (best[doc] > 0) {
            total[doc] += best[doc];
            count[doc]++;
          }
        }
      });

      var hits = [];
      var collection = options.collection && String(options.collection);
      for (var doc = 0; doc < n; doc++) {
        if (!count[doc] || collection && raw.paths[ix.docPath[doc]][1].indexOf(collection) < 0) continue;
        // Documents that match more of the query come first.
        var share = count[doc] / terms.length;
        hits.push({ doc: doc, score: total[doc] * share * share });
      }
      hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      result.total = hits.length;
      hits = hits.slice(0, limit);
      return loadChunks(ix.docChunks, hits.map(function (h) { return h.doc; })).then(function (findDoc) {
        result.results = hits.map(function (h) {
          var c = findDoc(h.doc);
          var d = c.data.docs[c.at];
          return {
            id: d[0],
            title: d[1],
            url: d[2],
            snippet: highlight(ix, d[3], matched),
            breadcrumb: raw.paths[ix.docPath[h.doc]][0],
            score: h.score
          };
        });
        return result;
      });
    });
  };

  // analyze is exposed for tests of the agreement with the server.
  hs.analyze = function (text, script) {
    return analyze(text, script).map(function (t) { return t.term; });
  };
})(globalThis);
