// The wording page's live preview: as the user types a part (or picks a message or a reason), the
// sample message is drafted anew with their texts (wording_preview, the same composer as the answer
// page), switching to the message the typed part belongs to (its data-preview-kind). A text with a
// bad placeholder shows its error under the part instead.
// Picking another language shows that language's parts (the <noscript> button does it without script).
document.querySelectorAll("[data-submit-on-change]").forEach((field) => {
  field.addEventListener("change", () => field.form.submit());
});

const wordingForm = document.querySelector(".wording-form[data-preview-url]");
if (wordingForm) {
  const reason = document.querySelector("[data-preview-reason]");
  const kind = document.querySelector("[data-preview-message]");
  const kept = wordingForm.querySelector("[data-preview-kind-kept]");
  const warnings = document.querySelector("[data-preview-warnings]");
  const shown = (name) => document.querySelector(`[data-preview="${name}"]`);
  document.querySelector("[data-preview-show]").hidden = true;
  let asked = 0;
  let timer;

  const showErrors = (errors) => {
    wordingForm.querySelectorAll(".live-error").forEach((node) => node.remove());
    Object.entries(errors).forEach(([name, lines]) => {
      const box = wordingForm.querySelector(`[name="${name}"]`);
      if (!box) return;
      lines.forEach((line) => box.after(Object.assign(document.createElement("p"), {
        className: "error live-error", role: "alert", textContent: line,
      })));
    });
  };

  const preview = async () => {
    const data = new FormData(wordingForm);
    data.set("preview_reason", reason.value);
    data.set("preview_kind", kind.value);
    const mine = ++asked;
    const response = await fetch(wordingForm.dataset.previewUrl, { method: "POST", body: data });
    if (mine !== asked) return;  // a later keystroke asked again meanwhile
    const answer = await response.json();
    showErrors(answer.errors || {});
    if (answer.errors) return;
    ["subject", "email", "platform"].forEach((name) => { shown(name).textContent = answer[name]; });
    warnings.replaceChildren(...answer.warnings.map((line) => Object.assign(document.createElement("p"), {
      className: "notice", textContent: line,
    })));
  };

  const follow = (value) => { kind.value = value; kept.value = value; };
  const later = (event) => {
    if (event.target.dataset.previewKind) follow(event.target.dataset.previewKind);
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  };
  wordingForm.addEventListener("input", later);
  // Opening a message's parts (a click on its heading, not the page's own open ones) previews that message.
  wordingForm.querySelectorAll("details[data-kind] > summary").forEach((heading) => heading.addEventListener("click", () => {
    const group = heading.parentElement;
    if (!group.open && !kind.value.startsWith(group.dataset.kind)) { follow(group.dataset.kind); preview(); }
  }));
  reason.addEventListener("change", preview);
  kind.addEventListener("change", () => {
    kept.value = kind.value;
    const group = wordingForm.querySelector(`details[data-kind="${kind.value.split("_")[0]}"]`);
    if (group) group.open = true;
    preview();
  });
}
