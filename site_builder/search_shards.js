// pagefind/pagefind.js of a sharded index, written by the build (search.py):
// Pagefind's own API, over the first shard with the others merged in, so
// that the search page (and anything else importing /pagefind/pagefind.js)
// searches the whole archive as one index.
//
// What a reader loads is kept to what the query needs. Every shard merged
// costs its page list (pf_meta, about 11 bytes a page) and, for each word
// of every later query, one index chunk (about 25 KB); its filters, 10
// bytes a page more. So:
// - A shard is merged only once a query may find something in it. The
//   build writes a routing table (route/*.pf_route: the index's words,
//   sorted, each with a mask of the shards holding it, cut in chunks by
//   word as Pagefind cuts its own index; ROUTES each chunk's first word and
//   file). A
//   query word, cut to its first half (Pagefind stems the words and matches
//   them as prefixes, so the half is a prefix of every word it can match),
//   routes to the shards holding some word that starts so. The first shard,
//   Pagefind's primary index, is always loaded.
// - Filters are loaded when the reader asks for them (loadFilters(), when a
//   filter group is first opened), and only in the shards merged: the
//   others hold no page the query finds. Until then filters() names them,
//   with no values.
//
// One correction Pagefind's merge lacks: within one index, a word the index
// does not hold at all is dropped from the query (so a typo does not empty
// the results). Across shards that turns a rare word into "any page" in
// every shard without it, and their pages that match only the other words
// would outrank the one page that holds them all. So a query of several
// words is first asked word by word which shards hold each word, and runs
// only in the shards that hold every word some shard holds: what one index
// of all pages would answer. (A word held only as the start of longer words,
// as one types it, is held by no shard and so restricts nothing.) Each shard carries a synthetic filter naming
// it, used for that and hidden from the page's filters.
import * as pagefind from "./SHARD0/pagefind.js";

const SHARDS = ["SHARDS"];
const FILTERS = ["FILTERS"];
const ROUTES = ["ROUTES"];
const KEY = "pagefind-shard";
const ROUTE_SPAN = 3; // a prefix spread over more route chunks than this is too common to route by

let priming = null;
let pageOptions = {}; // what the search page asked for (excerpt length, base URL, ranking): every shard gets them
const merging = new Map();
let filtersWanted = false;

// Pagefind is started here, with this shard's filter. Until it starts, each call of its
// options() replaces the last one's: the search page's options (its excerpt length) and the
// filter would not both be kept, and which one was lost depended on which came first.
function prime() {
  if (!priming) {
    priming = (async () => {
      await pagefind.options({ mergeFilter: { [KEY]: SHARDS[0] } });
      await pagefind.init(); // from now on options() add to these
    })();
  }
  return priming;
}

// Once merged, a shard answers every later query; with filters wanted, its filters are loaded too.
async function merge(shards) {
  await prime();
  await Promise.all(
    shards
      .filter((shard) => shard !== SHARDS[0])
      .map((shard) => {
        if (!merging.has(shard)) {
          const path = new URL(`./${shard}/`, import.meta.url).pathname;
          merging.set(shard, pagefind.mergeIndex(path, { ...pageOptions, mergeFilter: { [KEY]: shard } }));
        }
        return merging.get(shard);
      }),
  );
  if (filtersWanted) {
    await pagefind.filters();
  }
}

function withoutShards(counts) {
  if (counts && typeof counts === "object") {
    delete counts[KEY];
  }
  return counts;
}

// As Pagefind normalises a query: lower case, punctuation removed.
function words(term) {
  return term
    .replace(/^\s*"|"\s*$/g, "")
    .toLocaleLowerCase()
    .replace(/[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu, "")
    .split(/\s+/)
    .filter(Boolean);
}

const routeChunks = new Map();
function routeChunk(index) {
  if (!routeChunks.has(index)) {
    const url = new URL(`./route/${ROUTES[index][1]}.pf_route`, import.meta.url);
    routeChunks.set(
      index,
      (async () => {
        const response = await fetch(url);
        if (!response.ok) {
          throw new Error(`${url}: ${response.status}`);
        }
        const text = await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).text();
        return text.split("\n").map((line) => line.split("\t"));
      })(),
    );
  }
  return routeChunks.get(index);
}

// The last chunk whose first word sorts at or before `word` (the chunks' words are in code-unit order, as here).
function chunkOf(word) {
  let low = 0;
  let high = ROUTES.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (ROUTES[middle][0] <= word) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

// The shards holding a word that starts with `prefix`; null: every shard (too common a prefix, or no shard holds it).
async function routePrefix(prefix) {
  const first = chunkOf(prefix);
  const last = chunkOf(`${prefix}\uffff`);
  if (last - first + 1 > ROUTE_SPAN) {
    return null;
  }
  let mask = 0n;
  for (let index = first; index <= last; index++) {
    for (const [word, shards] of await routeChunk(index)) {
      if (word.startsWith(prefix)) {
        mask |= BigInt(`0x${shards}`);
      }
    }
  }
  if (!mask) {
    return null; // dropped from the query by every shard: it restricts nothing
  }
  return SHARDS.filter((_, shard) => (mask >> BigInt(shard)) & 1n);
}

// The shards a query can find anything in (null: all of them); any failure to route routes nowhere in particular.
async function route(term) {
  if (!ROUTES.length || typeof term !== "string") {
    return null;
  }
  let allowed = null;
  try {
    for (const word of words(term)) {
      const held = await routePrefix(word.slice(0, Math.ceil(word.length / 2)));
      if (held) {
        allowed = allowed ? allowed.filter((shard) => held.includes(shard)) : held;
      }
    }
  } catch (error) {
    console.warn(`search: routing the query failed, searching every shard: ${error}`);
    return null;
  }
  return allowed;
}

// Of the shards `among`, those holding every word of the query that some shard holds (null: no restriction).
async function shardsFor(term, options, among) {
  const parts = words(term);
  if (parts.length < 2) {
    return null;
  }
  let allowed = null;
  for (const word of parts) {
    // Quoted: an exact search. Unquoted, a shard without the word would
    // answer with similar words (Pagefind's typo tolerance) and seem to hold it.
    const found = await pagefind.search(`"${word}"`, { ...options, filters: {}, sort: {} });
    const counts = (found && found.filters && found.filters[KEY]) || {};
    const holding = Object.keys(counts).filter((shard) => counts[shard] > 0 && among.includes(shard));
    if (!holding.length) {
      continue; // no shard holds it: dropped, as one index drops it
    }
    allowed = allowed ? allowed.filter((shard) => holding.includes(shard)) : holding;
  }
  return allowed;
}

// The filters in the order the build names them, so that the panel does not reorder once values arrive.
function ordered(counts) {
  withoutShards(counts);
  if (!counts || typeof counts !== "object") {
    return counts;
  }
  const named = {};
  for (const name of FILTERS) {
    if (name in counts) {
      named[name] = counts[name];
    }
  }
  return { ...named, ...counts };
}

// Pagefind gives them to its first index only; a shard merged takes its own at merging.
export async function options(opts) {
  pageOptions = { ...pageOptions, ...opts };
  delete pageOptions.mergeFilter;
  await prime();
  await pagefind.options(opts);
}

export async function init() {
  await prime();
  await pagefind.init();
}

export async function destroy() {
  priming = null;
  merging.clear();
  await pagefind.destroy();
}

export async function mergeIndex(indexPath, opts) {
  await prime();
  return pagefind.mergeIndex(indexPath, opts);
}

export async function preload(term, opts = {}) {
  const routed = await route(term);
  await merge(routed || SHARDS);
  return pagefind.preload(term, opts);
}

// Until loadFilters(): the filters' names, without values (loading them costs each shard's filter index).
// Then the counts over the shards merged so far: those a query can find
// anything in, so that a query's counts are the whole archive's.
export async function filters() {
  await prime();
  if (!filtersWanted) {
    return Object.fromEntries(FILTERS.map((name) => [name, {}]));
  }
  return ordered(await pagefind.filters());
}

// The filters of every shard merged, now and from now on; their counts.
export async function loadFilters() {
  filtersWanted = true;
  return filters();
}

export async function search(term, opts = {}) {
  const routed = await route(term);
  const within = routed || SHARDS;
  await merge(within);
  const exact = typeof term === "string" ? await shardsFor(term, opts, within) : null;
  const allowed = exact || (routed && routed.length < SHARDS.length ? routed : null);
  const found = allowed
    ? await pagefind.search(term, { ...opts, filters: { ...(opts.filters || {}), [KEY]: { any: allowed.length ? allowed : ["none"] } } })
    : await pagefind.search(term, opts);
  if (found) {
    found.filters = ordered(found.filters);
    found.totalFilters = ordered(found.totalFilters);
  }
  return found;
}

let searchID = 0;
export async function debouncedSearch(term, opts = {}, timeout = 300) {
  const id = ++searchID;
  preload(term, opts);
  await new Promise((resolve) => setTimeout(resolve, timeout));
  if (id !== searchID) {
    return null;
  }
  const found = await search(term, opts);
  return id === searchID ? found : null;
}
