// The planning matrix: Escape cancels the edit of a row (its Cancel button, which htmx wires to
// fetch the row as it was). Enter saves through the form's own submit; the rest is htmx.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") {
    return;
  }
  const row = event.target.closest && event.target.closest("[data-row-editor]");
  const cancel = row && row.querySelector("[data-row-cancel]");
  if (cancel) {
    event.preventDefault();
    cancel.click();
  }
});
