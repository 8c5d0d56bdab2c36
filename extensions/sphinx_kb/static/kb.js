// sphinx-kb: a click on the image of a zoomable figure (<Image zoomable />) shows it full size.
document.addEventListener("click", (event) => {
  const image = event.target.closest("figure.kb-zoomable img");
  if (!image) return;
  event.preventDefault();
  const dialog = document.createElement("dialog");
  dialog.className = "kb-zoom";
  const large = document.createElement("img");
  large.src = image.currentSrc || image.src;
  large.alt = image.alt;
  dialog.append(large);
  dialog.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
});

// Printing opens every folded dropdown and callout (static/kb-print.css does it with CSS where the
// browser can), and closes again the ones the reader had not opened.
let kbOpenedForPrint = [];
window.addEventListener("beforeprint", () => {
  kbOpenedForPrint = [...document.querySelectorAll("article details:not([open])")];
  for (const details of kbOpenedForPrint) details.open = true;
});
window.addEventListener("afterprint", () => {
  for (const details of kbOpenedForPrint) details.open = false;
  kbOpenedForPrint = [];
});
