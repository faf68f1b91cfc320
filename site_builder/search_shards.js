// pagefind/pagefind.js of a sharded index, written by the build (search.py):
// Pagefind's own API, over the first shard with the others merged in, so
// that the search page (and anything else importing /pagefind/pagefind.js)
// searches the whole archive as one index.
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
const KEY = "pagefind-shard";

let merging = null;
function merged() {
  if (!merging) {
    merging = (async () => {
      await pagefind.options({ mergeFilter: { [KEY]: SHARDS[0] } });
      for (const shard of SHARDS.slice(1)) {
        await pagefind.mergeIndex(new URL(`./${shard}/`, import.meta.url).pathname, { mergeFilter: { [KEY]: shard } });
      }
    })();
  }
  return merging;
}

function withoutShards(counts) {
  if (counts && typeof counts === "object") {
    delete counts[KEY];
  }
  return counts;
}

function words(term) {
  return term.replace(/^\s*"|"\s*$/g, "").split(/\s+/).filter(Boolean);
}

// The shards a query may run in: those holding every word that some shard holds.
async function shardsFor(term, options) {
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
    const holding = Object.keys(counts).filter((shard) => counts[shard] > 0);
    if (!holding.length) {
      continue; // no shard holds it: dropped, as one index drops it
    }
    allowed = allowed ? allowed.filter((shard) => holding.includes(shard)) : holding;
  }
  return allowed && allowed.length < SHARDS.length ? allowed : null;
}

export async function options(opts) {
  await pagefind.options(opts);
  await merged();
}

export async function init() {
  await merged();
  await pagefind.init();
}

export async function destroy() {
  merging = null;
  await pagefind.destroy();
}

export async function mergeIndex(indexPath, opts) {
  await merged();
  return pagefind.mergeIndex(indexPath, opts);
}

export async function preload(term, opts = {}) {
  await merged();
  return pagefind.preload(term, opts);
}

export async function filters() {
  await merged();
  return withoutShards(await pagefind.filters());
}

export async function search(term, opts = {}) {
  await merged();
  const allowed = typeof term === "string" ? await shardsFor(term, opts) : null;
  const found = allowed
    ? await pagefind.search(term, { ...opts, filters: { ...(opts.filters || {}), [KEY]: { any: allowed.length ? allowed : ["none"] } } })
    : await pagefind.search(term, opts);
  if (found) {
    withoutShards(found.filters);
    withoutShards(found.totalFilters);
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
