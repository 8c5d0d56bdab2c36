// sphinx-kb: previews of posts. Pointing at or focusing a link to a post shows its title, date,
// category and summary, read from _static/kb-previews.json, which is written with the site
// (blog/related.py): no other site is asked. Escape hides it. Off where the reader cannot hover
// (touch screens). The summary is HTML the site rendered from the author's text; everything else
// is inserted as text.
(() => {
  "use strict";

  const HOVER_DELAY = 300; // ms before a pointed link shows its preview (moving across a page shows none)
  const HIDE_DELAY = 200; // ms to move the pointer from the link onto the preview
  const NOT_PREVIEWED = ".kb-preview, .kb-post-header, .kb-post-list:not(.kb-post-list-compact)";

  // The site's root: this script is <root>/_static/kb-previews.js, wherever the site is served
  // (a sub-path such as Read the Docs' /en/latest/ included).
  const script = document.currentScript;
  const root = script
    ? new URL("..", script.src)
    : new URL(document.documentElement.dataset.content_root || "", window.location.href);
  const noHover = window.matchMedia("(hover: none), (pointer: coarse)");

  let posts = null; // a promise of {address: preview}
  let box = null;
  let current = null; // the link whose preview is shown
  let wanted = null; // the link whose preview is on its way
  let showTimer = 0;
  let hideTimer = 0;

  function load() {
    posts ??= fetch(new URL("_static/kb-previews.json", root))
      .then((response) => (response.ok ? response.json() : {}))
      .then((data) => data.posts || {})
      .catch(() => ({}));
    return posts;
  }

  // A page's address relative to the root, as the data names it ("posts/a/" or "posts/a.html").
  function addressOf(href) {
    let url;
    try {
      url = new URL(href, window.location.href);
    } catch {
      return null;
    }
    if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
    try {
      return decodeURI(url.pathname.slice(root.pathname.length)).replace(/index\.html$/, "");
    } catch {
      return null;
    }
  }
  const here = addressOf(window.location.href);

  function previewable(link) {
    return Boolean(link && link.closest("article") && !link.closest(NOT_PREVIEWED));
  }

  function element(tag, className) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  function ensureBox() {
    if (box) return box;
    box = element("div", "kb-preview");
    box.id = "kb-preview";
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    const meta = element("div", "kb-preview-meta");
    meta.append(element("span", "kb-category"), element("time"));
    box.append(meta, element("p", "kb-preview-title"), element("div", "kb-preview-summary"));
    box.addEventListener("mouseenter", () => clearTimeout(hideTimer));
    box.addEventListener("mouseleave", scheduleHide);
    document.body.append(box);
    return box;
  }

  function place(link) {
    // Under the link (above it when there is no room below), from where its first line starts.
    const first = link.getClientRects()[0] || link.getBoundingClientRect();
    const whole = link.getBoundingClientRect();
    const width = box.offsetWidth;
    const height = box.offsetHeight;
    const right = document.documentElement.clientWidth - width - 8;
    const left = Math.max(8, Math.min(first.left, right));
    let top = whole.bottom + 6;
    if (top + height > window.innerHeight && whole.top - height - 6 > 0) top = whole.top - height - 6;
    box.style.left = `${left + window.scrollX}px`;
    box.style.top = `${top + window.scrollY}px`;
  }

  async function show(link) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (noHover.matches || link === current) return;
    const address = addressOf(link.getAttribute("href"));
    if (address === null || address === here) return;
    wanted = link;
    const data = await load();
    if (wanted !== link || !Object.hasOwn(data, address)) return;
    const post = data[address];
    hide();
    ensureBox();
    const [category, time] = box.querySelector(".kb-preview-meta").children;
    category.textContent = post.category;
    category.hidden = !post.category;
    time.textContent = post.date;
    time.dateTime = post.datetime;
    box.querySelector(".kb-preview-title").textContent = post.title;
    const summary = box.querySelector(".kb-preview-summary");
    const mathjax = window.MathJax;
    if (mathjax && mathjax.typesetClear) mathjax.typesetClear([summary]);
    summary.innerHTML = post.summary; // rendered by the site from the author's text, escaped
    current = link;
    link.setAttribute("aria-describedby", box.id);
    box.hidden = false;
    place(link);
    if (post.math && mathjax && mathjax.typesetPromise) {
      await mathjax.startup.promise;
      await mathjax.typesetPromise([summary]);
      if (current === link) place(link);
    }
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    wanted = null;
    if (!current) return;
    current.removeAttribute("aria-describedby");
    current = null;
    box.hidden = true;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function linkOf(event) {
    return event.target instanceof Element ? event.target.closest("a[href]") : null;
  }

  document.addEventListener("mouseover", (event) => {
    const link = linkOf(event);
    if (link && link === current) {
      clearTimeout(hideTimer);
    } else if (previewable(link)) {
      clearTimeout(showTimer);
      showTimer = setTimeout(() => show(link), HOVER_DELAY);
    }
  });
  document.addEventListener("mouseout", (event) => {
    const link = linkOf(event);
    if (!link || link.contains(event.relatedTarget)) return;
    clearTimeout(showTimer);
    if (link === current) scheduleHide();
    else if (link === wanted) wanted = null;
  });
  document.addEventListener("focusin", (event) => {
    const link = linkOf(event);
    if (previewable(link)) show(link);
  });
  document.addEventListener("focusout", (event) => {
    if (event.target === current || event.target === wanted) hide();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && (current || wanted)) hide();
  });
  window.addEventListener("resize", hide);
})();
