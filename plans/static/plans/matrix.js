// The planning matrix: in a row being edited, Escape cancels (the row's Cancel button, which
// htmx wires to fetch the row as it was) and Enter saves, from a list too (a text or date field
// submits its form by itself). The rest is htmx.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  const row = target.closest && target.closest("[data-row-editor]");
  if (!row) {
    return;
  }
  if (event.key === "Escape") {
    const cancel = row.querySelector("[data-row-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  } else if (event.key === "Enter" && target.tagName === "SELECT" && target.form) {
    event.preventDefault();
    target.form.requestSubmit();
  }
});
