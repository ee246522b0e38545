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
