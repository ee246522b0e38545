// Keyboard shortcuts: "/" searches, "n" logs a new invitation, "?" lists them. Never while typing
// in a field, nor with Ctrl, Alt or Cmd held (the browser's own shortcuts stay the browser's).
(() => {
  const overlay = document.getElementById("shortcuts");
  if (!overlay) return;

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])") !== null;
  }

  function toggle(show) {
    overlay.hidden = !show;
    if (show) overlay.querySelector("[data-close-shortcuts]").focus();
  }

  function search() {
    const box = document.querySelector("[data-search]");
    if (box) { box.focus(); box.select(); return; }
    window.location.href = overlay.dataset.searchUrl + "#search";
  }

  const keys = { "/": search, "n": () => { window.location.href = overlay.dataset.newUrl; }, "?": () => toggle(overlay.hidden) };

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !overlay.hidden) { toggle(false); return; }
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || typing(event.target)) return;
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
  overlay.addEventListener("click", (event) => {
    if (event.target === overlay || event.target.matches("[data-close-shortcuts]")) toggle(false);
  });
  if (window.location.hash === "#search") document.querySelector("[data-search]")?.focus();
})();
