// Small comforts on top of pages that work without JavaScript:
// one-click copy, and showing only the fields that matter for the chosen answer.
document.querySelectorAll("[data-copy]").forEach((button) => {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-status");
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.value);
    } catch (error) {
      source.select();
      document.execCommand("copy");
    }
    if (status) status.textContent = "Copied.";
  });
});

const radios = document.querySelectorAll(".respond-form input[name=action]");
function showFieldsFor() {
  const chosen = document.querySelector(".respond-form input[name=action]:checked");
  document.querySelectorAll(".respond-form [data-for]").forEach((group) => {
    group.hidden = chosen !== null && group.dataset.for !== chosen.value;
  });
}
radios.forEach((radio) => radio.addEventListener("change", showFieldsFor));
showFieldsFor();

// The message follows the choices live: each change asks the server for the composer's draft
// (the same text "Draft message" posts for) and puts it in the box, until the user edits the
// text by hand; from then on a change offers to redraft instead of replacing their words.
const respondForm = document.querySelector(".respond-form[data-draft-url]");
if (respondForm) {
  const message = respondForm.querySelector("textarea[name=message]");
  const subject = respondForm.querySelector("[data-subject]");
  const advice = respondForm.querySelector("[data-advice]");
  const offer = respondForm.querySelector("[data-redraft-offer]");
  let drafted = message.dataset.drafted ?? message.value;  // the text noghost drafted last
  let latest = null;  // the draft for the current choices, when it was not put in the box
  let asked = 0;
  let timer;

  const choices = () => {
    const data = new URLSearchParams(new FormData(respondForm));
    ["message", "csrfmiddlewaretoken", "force"].forEach((name) => data.delete(name));
    return data;
  };

  const show = (draft) => {
    subject.textContent = draft.subject;
    subject.parentElement.hidden = !draft.subject;
    advice.replaceChildren(...draft.advice.map((line) => Object.assign(document.createElement("p"), {
      className: "notice", textContent: line,
    })));
  };

  const put = (draft) => {
    message.value = draft.text;
    drafted = draft.text;
    latest = null;
    offer.hidden = true;
  };

  async function follow(replace) {
    const ticket = ++asked;
    const response = await fetch(`${respondForm.dataset.draftUrl}?${choices()}`, {
      headers: { "X-Requested-With": "fetch" }, credentials: "same-origin",
    });
    if (ticket !== asked || !response.ok) return;  // a later change asked again, or the choices are not valid yet
    const draft = await response.json();
    show(draft);
    if (replace || message.value === drafted) {
      put(draft);
    } else if (draft.text !== message.value) {
      latest = draft;
      offer.hidden = false;
    }
  }

  const soon = (delay) => { clearTimeout(timer); timer = setTimeout(() => follow(false), delay); };
  respondForm.addEventListener("change", (event) => { if (event.target !== message) soon(0); });
  respondForm.addEventListener("input", (event) => {
    if (event.target.matches("input[type=text]")) soon(350);  // busy for, suggest: while typing
  });
  offer.querySelector("[data-redraft]").addEventListener("click", () => { if (latest) put(latest); else follow(true); });
  respondForm.querySelector("button[name=redraft]").addEventListener("click", (event) => {
    event.preventDefault();  // the same draft, without reloading the page
    follow(true);
  });
}
