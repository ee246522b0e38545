// Progressive enhancement for "Needs me now": snooze and done without a page reload.
// Without JavaScript the same forms post normally and the server redirects back.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches("form[data-enhance]")) return;
  event.preventDefault();
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => { b.disabled = true; });
  const data = new FormData(form);
  if (event.submitter?.name) data.append(event.submitter.name, event.submitter.value);  // the snooze choice
  try {
    const response = await fetch(form.action, {
      method: "POST", body: data, headers: { "X-Requested-With": "fetch" }, credentials: "same-origin",
    });
    if (!response.ok) throw new Error(String(response.status));
    const item = form.closest(".needs-item");
    const count = form.closest(".needs-section")?.querySelector("[data-count]");
    if (count) count.textContent = Math.max(0, Number(count.textContent) - 1);
    item?.remove();
  } catch (error) {
    form.submit();  // let the server say what went wrong, on a full page
  }
});
