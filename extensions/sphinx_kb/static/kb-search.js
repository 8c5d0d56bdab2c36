// sphinx-kb: the search page (/search/), on the site's own Pagefind index (output/search.py).
//
// The state is the address: ?q=text&tag=a&tag=b&category=c&year=2024&sort=date. Typing replaces
// the current history entry (one entry per burst of typing); a filter or the order adds one, so
// the back button walks back through them. Results and filter counts come from Pagefind; every
// text from the index (titles, tags, excerpts) is put in the page as text, never as HTML.
//
// The index is segmented as Chinese and does not stem English (see output/search.py), so a query
// is prepared here: words are split as a dictionary does for Chinese (Intl.Segmenter) and English
// words are cut to a stem that Pagefind matches as a prefix of the words of the index.

const root = document.getElementById("kb-search");
const form = root.querySelector("form");
const input = form.elements.q;
const order = form.elements.sort;
const status = root.querySelector(".kb-search-status");
const list = root.querySelector(".kb-search-results");
const more = root.querySelector(".kb-search-more");
const offline = root.querySelector(".kb-search-offline");

// Tags narrow (a post has all the chosen tags); categories and years widen (any of them).
const FILTERS = { tag: "all", category: "any", year: "any" };

/** The value Pagefind files a name under: it never matches one holding `"` (Pagefind 1.5), so
 * names are stored with ＂ instead (`filter_key` in output/search.py). */
export function filterKey(name) {
  return name.replaceAll('"', "\uff02");
}
// Results shown at once: each needs its own small download (Pagefind's fragment).
const PAGE_SIZE = 20;
const FIRST_SIZE = 5;
const DEBOUNCE_MS = 40;

// Query preparation ---------------------------------------------------------------------------

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const segmenter = typeof Intl.Segmenter === "function" ? new Intl.Segmenter("zh", { granularity: "word" }) : null;

// English suffixes, longest first, each with the letters the stem must keep (a shorter stem
// would match too many words: "region" is not cut to "reg").
const SUFFIXES = [
  ["ations", 3], ["ation", 3], ["ions", 4], ["ion", 4], ["ences", 4], ["ence", 4], ["ings", 3], ["ing", 3],
  ["ied", 3], ["ies", 3], ["edly", 3], ["ed", 3], ["ly", 3], ["es", 3], ["s", 3], ["y", 3], ["e", 3],
];

/** A stem of an English word that is a prefix of its inflected forms: balancing -> balanc,
 * compression -> compress, convergence -> converg. */
export function stem(word) {
  const lower = word.toLowerCase();
  if (!/^[a-z]{4,}$/.test(lower)) return lower;
  for (const [suffix, keep] of SUFFIXES) {
    if (lower.endsWith(suffix) && lower.length - suffix.length >= keep) {
      let base = lower.slice(0, -suffix.length);
      // running -> runn -> run: the shorter stem is still a prefix of every form.
      if (/([b-df-hj-np-tv-z])\1$/.test(base)) base = base.slice(0, -1);
      return base;
    }
  }
  return lower;
}

// Characters that stand alone between Chinese words ("梯度的方差"): they separate, and are not searched.
const PARTICLES = new Set("的了和与及或在是也把被从对而之其");

/** Chinese words of *text*, each as `{ text, chars }`. The browser's dictionary does not know
 * most technical words and gives them as single characters (方差 -> 方|差, 显存占用 -> 显|存|占用):
 * runs of single characters are joined again (方差, 显存 占用), and keep their characters in
 * `chars`, since the index's dictionary may have cut them too (外推 -> 外|推). */
function chineseWords(text) {
  if (!segmenter) return [{ text, chars: null }];
  const words = [];
  let run = [];
  const flush = () => {
    if (run.length) words.push({ text: run.join(""), chars: run.length > 1 ? run : null });
    run = [];
  };
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (!isWordLike || PARTICLES.has(segment)) {
      flush();
    } else if ([...segment].length === 1 && CJK.test(segment)) {
      run.push(segment);
    } else {
      flush();
      words.push({ text: CJK.test(segment) ? segment : stem(segment), chars: null });
    }
  }
  flush();
  return words.length ? words : [{ text, chars: null }];
}

/** The ways to read *text* as a Pagefind query, most likely first: Chinese split into words,
 * English stemmed; in a phrase ("load balancing", "显存占用") the words as written, one after
 * the other. When a Chinese word was pieced together from single characters, a second reading
 * has those characters as the index would have them if its dictionary cut the word too: one
 * after the other (a phrase) for a query of one word, else as words of their own. */
export function readings(text) {
  let query = text.trim();
  const phrase = /^".+"$/.test(query);
  if (phrase) query = query.slice(1, -1);
  const words = [];
  for (const part of query.split(/\s+/)) {
    if (CJK.test(part)) {
      words.push(...chineseWords(part));
    } else {
      // load-balancing: both words, as the index has them.
      const latin = part.split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
      words.push(...latin.map((word) => ({ text: phrase ? word.toLowerCase() : stem(word), chars: null })));
    }
  }
  if (!words.length) return [];
  const first = words.map((word) => word.text).join(" ");
  if (phrase) return [`"${first}"`];
  if (!words.some((word) => word.chars)) return [first];
  const second = words.map((word) => (word.chars ? word.chars.join(" ") : word.text)).join(" ");
  return [first, words.length === 1 ? `"${second}"` : second];
}

/** The words Pagefind searches for first (see readings). */
export function prepare(text) {
  return readings(text)[0] || "";
}

/** Pagefind's results for *text* (null: filters only): of the readings, the one that finds the
 * most, so a word is found whether the index's dictionary kept it whole or cut it. */
export async function find(engine, text, options) {
  const queries = readings(text || "");
  // No text: filters only. Text with no word in it (punctuation): nothing.
  if (!queries.length) return engine.search(text ? "" : null, options);
  // Pagefind loads the chunk of the index where a word would be, not the next ones, where its
  // longer forms may be (cach: cache, and caches in the next chunk): load up to its last form.
  const words = new Set(queries.flatMap((query) => query.replaceAll('"', "").split(" ")));
  // Both ends of each word's range at once, so the search itself finds every chunk loaded.
  const ends = [...words].flatMap((word) => [word, `${word}\uffff`]);
  await Promise.all(ends.map((end) => engine.preload(end, options)));
  const found = await Promise.all(queries.map((query) => engine.search(query, options)));
  return found.reduce((best, next) => (next && (!best || next.results.length > best.results.length) ? next : best));
}

// State and address ---------------------------------------------------------------------------

function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const state = { q: params.get("q") || "", sort: params.get("sort") === "date" ? "date" : "" };
  for (const name of Object.keys(FILTERS)) state[name] = [...new Set(params.getAll(name))];
  return state;
}

function stateFromForm() {
  const state = { q: input.value, sort: order.value === "date" ? "date" : "" };
  for (const name of Object.keys(FILTERS)) {
    state[name] = [...form.querySelectorAll(`input[type=checkbox][name="${name}"]:checked`)].map((box) => box.value);
  }
  return state;
}

function address(state) {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set("q", state.q);
  for (const name of Object.keys(FILTERS)) for (const value of state[name]) params.append(name, value);
  if (state.sort) params.set("sort", state.sort);
  const query = params.toString();
  return location.pathname + (query ? `?${query}` : "");
}

/** Set the form to *state*; a value the page does not list (an old link) gets its own box. */
function showState(state) {
  input.value = state.q;
  order.value = state.sort;
  for (const name of Object.keys(FILTERS)) {
    const boxes = [...form.querySelectorAll(`input[type=checkbox][name="${name}"]`)];
    for (const box of boxes) box.checked = state[name].includes(box.value);
    for (const value of state[name]) {
      // Typed by hand, `?tag=gpu` is the tag GPU.
      const box = boxes.find((b) => b.value === value) || boxes.find((b) => b.value.toLowerCase() === value.toLowerCase());
      (box || addBox(name, value)).checked = true;
    }
  }
}

function addBox(name, value) {
  let group = form.querySelector(`fieldset[data-filter="${name}"] ul`);
  if (!group) {
    const fieldset = document.createElement("fieldset");
    fieldset.className = "kb-search-filter";
    fieldset.dataset.filter = name;
    const legend = document.createElement("legend");
    legend.textContent = name;
    group = document.createElement("ul");
    fieldset.append(legend, group);
    form.querySelector(".kb-search-filters").append(fieldset);
  }
  const item = document.createElement("li");
  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.name = name;
  box.value = value;
  const shown = document.createElement("span");
  shown.className = "kb-search-value";
  shown.textContent = value;
  const count = document.createElement("span");
  count.className = "kb-count";
  count.dataset.total = "0";
  count.textContent = "0";
  label.append(box, " ", shown, " ", count);
  item.append(label);
  group.append(item);
  return box;
}

// Searching -----------------------------------------------------------------------------------

let pagefind = null;
let latest = 0;
let shown = [];

async function search(state) {
  const id = ++latest;
  const words = state.q.trim();
  const filters = {};
  for (const [name, mode] of Object.entries(FILTERS)) {
    const keys = state[name].map(filterKey);
    if (keys.length) filters[name] = mode === "all" ? keys : { any: keys };
  }
  const filtered = Object.keys(filters).length > 0;
  if (!words && !filtered) {
    show(id, [], null, "");
    return;
  }
  const options = { filters };
  // Without text there is no relevance: the matching posts, newest first.
  if (state.sort === "date" || !words) options.sort = { date: "desc" };
  const found = await find(pagefind, words || null, options);
  if (id !== latest || !found) return;
  show(id, found.results, found.filters, words ? `“${state.q.trim()}”` : "");
}

async function show(id, results, counts, what) {
  shown = results;
  list.replaceChildren();
  updateCounts(counts);
  if (!counts) {
    status.textContent = "Type a word in English or 中文, or choose a category, tags or a year.";
    more.hidden = true;
    finish(id);
    return;
  }
  const noun = results.length === 1 ? "result" : "results";
  status.textContent = results.length
    ? `${results.length} ${noun}${what ? ` for ${what}` : ""}`
    : `Nothing found${what ? ` for ${what}` : ""}.`;
  await showMore(id);
}

async function showMore(id) {
  // The first few results as soon as they are loaded, then the rest of the page.
  for (const size of [FIRST_SIZE, PAGE_SIZE - FIRST_SIZE]) {
    const start = list.children.length;
    const batch = await Promise.all(shown.slice(start, start + size).map((result) => result.data()));
    if (id !== latest) return;
    list.append(...batch.map(resultItem));
    root.dataset.done = String(id);
  }
  more.hidden = list.children.length >= shown.length;
  finish(id);
}

function finish(id) {
  // For tests and the benchmark: the search whose first results are shown (done), and whose
  // page of results is complete (settled).
  root.dataset.done = String(id);
  root.dataset.settled = String(id);
}

function updateCounts(counts) {
  for (const label of form.querySelectorAll(".kb-search-filter label")) {
    const box = label.querySelector("input");
    const count = label.querySelector(".kb-count");
    const value = counts ? (counts[box.name] || {})[filterKey(box.value)] || 0 : Number(count.dataset.total);
    count.textContent = String(value);
    label.classList.toggle("kb-search-none", value === 0 && !box.checked);
  }
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "kb-search-result";
  const meta = document.createElement("p");
  meta.className = "kb-search-result-meta";
  if (data.meta.category) {
    const category = document.createElement("span");
    category.className = "kb-category";
    category.textContent = data.meta.category;
    meta.append(category, " ");
  }
  if (data.meta.date) {
    const date = document.createElement("span");
    date.className = "kb-date";
    date.textContent = data.meta.date;
    meta.append(date);
  }
  const heading = document.createElement("h2");
  heading.className = "kb-search-result-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.className = "kb-search-excerpt";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(meta, heading, excerpt);
  return item;
}

/** Pagefind's excerpt is escaped text with <mark> around matches: made into nodes, as text. */
export function excerptNodes(excerpt) {
  const nodes = [];
  let marked = false;
  for (const piece of excerpt.split(/(<\/?mark>)/)) {
    if (piece === "<mark>" || piece === "</mark>") {
      marked = piece === "<mark>";
      continue;
    }
    const text = unescape(piece);
    if (!text) continue;
    if (marked) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(text));
    }
  }
  return nodes;
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescape(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}

// Events --------------------------------------------------------------------------------------

let typing = false;
let timer = 0;

function update(how) {
  const state = stateFromForm();
  const target = address(state);
  if (target !== location.pathname + location.search) history[how](null, "", target);
  clearTimeout(timer);
  timer = setTimeout(() => search(state), DEBOUNCE_MS);
}

async function start() {
  if (location.protocol === "file:") {
    offline.hidden = false;
    status.textContent = "";
    return;
  }
  showState(stateFromUrl());
  try {
    pagefind = await import(new URL(root.dataset.pagefind, document.baseURI).href);
    await pagefind.options({ excerptLength: 24 });
    await pagefind.init();
    // Every filter's values, so that each search counts them all (Pagefind counts only the
    // filters it has loaded).
    await pagefind.filters();
  } catch (error) {
    status.textContent = "The search index could not be loaded.";
    console.error(error);
    return;
  }
  input.addEventListener("input", () => {
    update(typing ? "replaceState" : "pushState");
    typing = true;
  });
  form.addEventListener("change", (event) => {
    if (event.target === input) return;
    typing = false;
    update("pushState");
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    typing = false;
    update("pushState");
  });
  more.querySelector("button").addEventListener("click", () => showMore(latest));
  window.addEventListener("popstate", () => {
    typing = false;
    showState(stateFromUrl());
    search(stateFromForm());
  });
  // From the form, where `?tag=gpu` found its box GPU.
  await search(stateFromForm());
  root.dataset.ready = "true";
}

start();
