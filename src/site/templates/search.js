// defter search: folds the query the Turkish way (as src/site/search.rs folds the index),
// loads only the index shards its words need, and lists the records that match every word.
// Each index file is a script calling defterSearch(name, data): a page opened from disk
// (file://) cannot fetch a file, but it can load a script, so this works from disk and
// from any web server.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input) { return; }
  var MAP = { "İ": "i", "I": "i", "ı": "i", "î": "i", "Î": "i", "ï": "i", "Ç": "c", "ç": "c", "Ğ": "g", "ğ": "g",
    "Ö": "o", "ö": "o", "Ş": "s", "ş": "s", "Ü": "u", "ü": "u", "û": "u", "Û": "u", "Â": "a", "â": "a", "ä": "a", "\u0307": "" };
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      out += Object.prototype.hasOwnProperty.call(MAP, c) ? MAP[c] : c.toLowerCase();
    }
    return out;
  }
  function words(text) {
    return fold(text).split(/[^0-9a-z\u00e0-\u024f.\-_]+/).map(function (w) {
      return w.replace(/^[^0-9a-z\u00e0-\u024f]+|[^0-9a-z\u00e0-\u024f]+$/g, "");
    }).filter(function (w) { return w.length >= 2; });
  }
  function shardOf(word) {
    return word.slice(0, 2).replace(/[^0-9a-z]/g, "_");
  }
  var cache = {};
  var waiting = {};
  window.defterSearch = function (name, data) {
    if (waiting[name]) { waiting[name](data); delete waiting[name]; }
  };
  function load(name) {
    if (!cache[name]) {
      cache[name] = new Promise(function (resolve) {
        waiting[name] = resolve;
        var script = document.createElement("script");
        script.src = "search/" + name + ".js";
        // A missing file (a shard no word is in) finds nothing; it does not hang.
        script.onerror = function () { delete waiting[name]; resolve({}); };
        document.head.appendChild(script);
      });
    }
    return cache[name];
  }
  var meta = load("meta");
  function search(query) {
    var terms = words(query);
    if (terms.length === 0) { return Promise.resolve([]); }
    return meta.then(function (m) {
      var shards = m.shards || [];
      return Promise.all(terms.map(function (term) {
        var key = shardOf(term);
        if (shards.indexOf(key) < 0) { return []; }
        return load("t-" + key).then(function (index) {
          var hits = {};
          Object.keys(index).forEach(function (word) {
            if (word.indexOf(term) === 0) { index[word].forEach(function (d) { hits[d] = true; }); }
          });
          return Object.keys(hits).map(Number);
        });
      })).then(function (sets) {
        var result = sets.reduce(function (a, b) {
          var keep = {};
          b.forEach(function (d) { keep[d] = true; });
          return a.filter(function (d) { return keep[d]; });
        });
        result.sort(function (a, b) { return a - b; });
        return Promise.all(result.slice(0, 100).map(function (d) {
          return load("d-" + Math.floor(d / m.chunk)).then(function (docs) { return docs[d % m.chunk]; });
        })).then(function (docs) { return { docs: docs, total: result.length }; });
      });
    });
  }
  var latest = 0;
  function show(query) {
    var asked = ++latest;
    search(query).then(function (found) {
      // An answer to an older query (typing goes on) must not replace a newer one.
      if (asked !== latest) { return; }
      list.textContent = "";
      var docs = found.docs || [];
      docs.forEach(function (doc) {
        if (!doc) { return; }
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = doc[0];
        a.textContent = doc[1];
        var small = document.createElement("small");
        small.textContent = " " + doc[2];
        li.appendChild(a);
        li.appendChild(small);
        list.appendChild(li);
      });
      if (words(query).length === 0) { status.textContent = ""; return; }
      status.textContent = docs.length ? found.total + " " + status.getAttribute("data-found") : status.getAttribute("data-empty");
    });
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); show(input.value); });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 150);
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; show(initial); }
})();
