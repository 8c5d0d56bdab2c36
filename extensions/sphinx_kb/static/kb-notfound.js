// sphinx-kb: on the page for a missing address (404), list the posts whose title, folder name or
// old addresses share the most words with the address (data: _static/kb-notfound.json, written
// by output/notfound.py). Rarer words count more; Chinese and Japanese text has no spaces, so it
// counts by single characters and pairs of characters. No match: the newest posts.
(() => {
  const section = document.getElementById("kb-notfound");
  if (!section) return;
  const SHOWN = 5;
  const CJK = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af";
  const RUNS = new RegExp(`[${CJK}]+|[^${CJK}]+`, "gu");
  const IS_CJK = new RegExp(`[${CJK}]`, "u");
  // Parts of addresses that say nothing of a post.
  const NOISE = new Set(["html", "htm", "index", "php", "www", "amp"]);

  function words(text) {
    const found = new Set();
    for (const part of text.normalize("NFKC").toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      for (const run of part.match(RUNS) || []) {
        if (IS_CJK.test(run)) {
          const chars = Array.from(run);
          chars.forEach((char, i) => {
            found.add(char);
            if (i + 1 < chars.length) found.add(char + chars[i + 1]);
          });
        } else if ((run.length > 1 || /\d/.test(run)) && !NOISE.has(run)) {
          found.add(run);
        }
      }
    }
    return found;
  }

  function decoded(path) {
    try {
      return decodeURIComponent(path);
    } catch {
      return path;
    }
  }

  function missingWords(root) {
    let path = location.pathname;
    if (path.startsWith(root)) path = path.slice(root.length);
    return words(decoded(path) + " " + decoded(location.search.replace(/^\?/, "")));
  }

  function show(posts, matched, root) {
    const box = section.querySelector(".kb-notfound-suggestions");
    const lead = box.querySelector(".kb-notfound-lead");
    lead.textContent = matched ? lead.dataset.match : lead.dataset.newest;
    const list = box.querySelector(".kb-notfound-list");
    for (const post of posts) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = root + post.path;
      link.textContent = post.title;
      item.append(link);
      if (post.date) {
        const date = document.createElement("span");
        date.className = "kb-notfound-date";
        date.textContent = ` · ${post.date}`;
        item.append(date);
      }
      list.append(item);
    }
    box.hidden = posts.length === 0;
  }

  async function suggest() {
    const root = section.dataset.root || "/";
    const response = await fetch(section.dataset.posts);
    if (!response.ok) return;
    const posts = (await response.json()).posts || [];
    const wanted = missingWords(root);
    const own = posts.map((post) =>
      words([post.title, post.slug, decoded(post.path), ...(post.aliases || []).map(decoded)].join(" ")),
    );
    // How many posts have each word: a word every post has says little.
    const counts = new Map();
    for (const set of own) for (const word of set) counts.set(word, (counts.get(word) || 0) + 1);
    const weight = (word) => Math.log((posts.length + 1) / (counts.get(word) || 1));
    const scored = posts.map((post, index) => {
      let score = 0;
      for (const word of wanted) {
        if (own[index].has(word)) score += weight(word);
        else if (word.length >= 4) {
          // A word cut short or run on ("consens", "raftlog"): half, for the closest such word.
          let best = 0;
          for (const other of own[index]) {
            if (other.length >= 4 && (other.startsWith(word) || word.startsWith(other))) {
              best = Math.max(best, weight(other) / 2);
            }
          }
          score += best;
        }
      }
      return { post, score, index };
    });
    const matches = scored.filter((entry) => entry.score > 0);
    // Best first; equal scores: newest first (the data's order).
    matches.sort((a, b) => b.score - a.score || a.index - b.index);
    if (matches.length) show(matches.slice(0, SHOWN).map((entry) => entry.post), true, root);
    else show(posts.slice(0, SHOWN), false, root);
  }

  suggest().catch(() => {});
})();
