// Progressive enhancement for "Needs me now": snooze and done without a page reload, each saying
// what it did with an Undo for a few seconds. Without JavaScript the same forms post normally,
// and the next page shows the same message with its Undo button.
const UNDO_SHOWN_MS = 8000;

function toast(text, undo, csrf) {
  const list = document.querySelector("main .messages") || document.querySelector("main").insertAdjacentElement(
    "afterbegin", Object.assign(document.createElement("ul"), { className: "messages" }));
  const item = Object.assign(document.createElement("li"), { className: "message message-success", textContent: text + " " });
  item.setAttribute("role", "status");
  if (undo.undo) {
    const button = Object.assign(document.createElement("button"), { type: "button", className: "link", textContent: "Undo" });
    button.addEventListener("click", async () => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", csrf);
      data.append("token", undo.undo);
      await fetch(undo.undo_url, { method: "POST", body: data, credentials: "same-origin" });
      window.location.reload();  // the item comes back where it belongs, with the server's message
    });
    item.append(button);
    setTimeout(() => button.remove(), UNDO_SHOWN_MS);
  }
  list.append(item);
}

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
    const answer = await response.json();
    const item = form.closest(".needs-item");
    const count = form.closest(".needs-section")?.querySelector("[data-count]");
    if (count) count.textContent = Math.max(0, Number(count.textContent) - 1);
    item?.remove();
    toast(answer.message, answer, data.get("csrfmiddlewaretoken"));
  } catch (error) {
    form.submit();  // let the server say what went wrong, on a full page
  }
});
