// The search page: Pagefind's UI, with the query kept in the address bar
// (?q=...) so a search can be shared, bookmarked and come back to with Back.
// A file rather than inline script: the pages' Content-Security-Policy allows
// scripts from this site only.
(function () {
  "use strict";

  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") {
    return;
  }

  // A result keeps the language of its page (a claim in English on a Dari
  // site): screen readers then pronounce it right, and dir="auto" lets the
  // browser lay it out in its own direction.
  var languageOf = {};
  function markLanguages() {
    root.querySelectorAll(".pagefind-ui__result").forEach(function (item) {
      var link = item.querySelector(".pagefind-ui__result-link");
      var lang = link && languageOf[link.getAttribute("href")];
      if (lang && item.getAttribute("lang") !== lang) {
        item.setAttribute("lang", lang);
        item.setAttribute("dir", "auto");
      }
    });
  }

  // A result shows its verdict as the same badge as every other page, drawn
  // in the observer's microtask, before the browser paints the result.
  var verdictOf = {};
  function addBadges() {
    root.querySelectorAll(".pagefind-ui__result").forEach(function (item) {
      var link = item.querySelector(".pagefind-ui__result-link");
      var verdict = link && verdictOf[link.getAttribute("href")];
      var title = item.querySelector(".pagefind-ui__result-title");
      var badge = item.querySelector(".result-verdict");
      if (badge && (!verdict || badge.dataset.href !== link.getAttribute("href"))) {
        badge.remove();
        badge = null;
      }
      if (verdict && title && !badge) {
        badge = document.createElement("p");
        badge.className = "result-verdict";
        badge.dataset.href = link.getAttribute("href");
        var span = document.createElement("span");
        span.className = "verdict verdict-small tone-" + verdict.tone;
        var label = document.createElement("span");
        label.className = "verdict-label";
        label.textContent = verdict.label;
        span.appendChild(label);
        badge.appendChild(span);
        title.insertAdjacentElement("afterend", badge);
      }
    });
  }

  var ui = new PagefindUI({
    element: "#search",
    bundlePath: root.dataset.bundlePath,
    baseUrl: root.dataset.baseUrl,
    showSubResults: true,
    showImages: false,
    // One screen of results before "Load more": a short list is shown whole.
    pageSize: 10,
    processResult: function (result) {
      if (result.meta && result.meta.lang) {
        languageOf[result.url] = result.meta.lang;
        // Pagefind would show it as a tag; the reader sees the language in the text itself.
        delete result.meta.lang;
      }
      if (result.meta && result.meta.verdict && result.meta.tone) {
        verdictOf[result.url] = { label: result.meta.verdict, tone: result.meta.tone };
        delete result.meta.verdict;
      }
      if (result.meta) {
        delete result.meta.tone;
      }
      return result;
    },
  });
  new MutationObserver(function () {
    markLanguages();
    addBadges();
  }).observe(root, { childList: true, subtree: true });

  // On a phone the filters fold behind one button, so the first result is on the first screen.
  var toggle = document.querySelector(".filters-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = root.classList.toggle("filters-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.documentElement.classList.add("search-ready");
  }

  var bundle = null;
  function pagefindModule() {
    bundle = bundle || import(new URL(root.dataset.bundlePath + "pagefind.js", window.location.href).href);
    return bundle;
  }

  function selectedFilters() {
    var selected = {};
    root.querySelectorAll(".pagefind-ui__filter-checkbox:checked").forEach(function (box) {
      (selected[box.name] = selected[box.name] || []).push(box.value);
    });
    return selected;
  }

  // `load(pagefind)` once, then `loaded` with what it gave: a promise of that, which a failure
  // resolves too (logged), and after which the next call tries again.
  function onceLoaded(load, loaded) {
    var pending = null;
    return function () {
      pending =
        pending ||
        pagefindModule()
          .then(load)
          .then(loaded)
          .catch(function (error) {
            pending = null;
            console.error("search: the filters could not be loaded", error);
          });
      return pending;
    };
  }
  function sharded(pagefind) {
    return typeof pagefind.loadFilters === "function";
  }

  // Pagefind counts a search's filters over the filter chunks loaded when it runs, and its UI
  // keeps the first counts that are not empty as the panel's groups: a search that ran while
  // one chunk was still on its way left that group (Verdict) out of the panel for good. So a
  // query in the address is searched once the filters are in, and they are asked for as soon
  // as the box is focused; a search typed before they came in and whose panel is short of a
  // group runs again, from the chunks already loaded (which shows its first page of results
  // again and closes the groups). A sharded index's pagefind.js names every group at once.
  var completeFilters = onceLoaded(
    function (pagefind) {
      return sharded(pagefind) ? null : pagefind.filters();
    },
    function (all) {
      var shown = root.querySelectorAll(".pagefind-ui__filter-block").length;
      if (all && shown > 0 && shown < Object.keys(all).length) {
        ui.triggerFilters(selectedFilters());
      }
    },
  );
  root.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("pagefind-ui__search-input")) {
      completeFilters();
    }
  });

  // A sharded index loads its filters only when the reader first opens a
  // group of them (search_shards.js: at 100,000 claims they would cost a
  // query about 2 MB): then the current search runs again to count them.
  var loadFilters = onceLoaded(
    function (pagefind) {
      return sharded(pagefind) ? pagefind.loadFilters() : null;
    },
    function (loaded) {
      if (loaded) {
        ui.triggerFilters(selectedFilters());
      }
    },
  );
  root.addEventListener(
    "toggle",
    function (event) {
      if (event.target.classList && event.target.classList.contains("pagefind-ui__filter-block") && event.target.open) {
        loadFilters();
      }
    },
    true,
  );

  // Pagefind labels its box with a title only; the page's heading is its visible label.
  var input = root.querySelector(".pagefind-ui__search-input");
  if (input) {
    input.setAttribute("aria-labelledby", "search-heading");
  }

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    completeFilters().then(function () {
      ui.triggerSearch(query);
    });
  }

  // replaceState, not pushState: one history entry per visit, not per key
  // typed, so Back leaves the search page instead of undoing letters.
  function keepInAddress(value) {
    var url = new URL(window.location.href);
    if (value) {
      url.searchParams.set("q", value);
    } else {
      url.searchParams.delete("q");
    }
    window.history.replaceState(null, "", url);
  }

  root.addEventListener("input", function (event) {
    if (event.target.classList.contains("pagefind-ui__search-input")) {
      keepInAddress(event.target.value.trim());
    }
  });
  root.addEventListener("click", function (event) {
    if (event.target.closest(".pagefind-ui__search-clear")) {
      keepInAddress("");
    }
  });
})();
