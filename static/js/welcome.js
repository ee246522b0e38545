// The first run: fill the time zone in from the browser's own, when it is still the default.
document.querySelectorAll("input[data-guess-zone]").forEach((input) => {
  const guessed = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (guessed && (!input.value || input.value === "UTC")) input.value = guessed;
});
