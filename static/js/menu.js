// The main menu's button on narrow screens shows and hides the menu: the one behaviour the site
// took from Bootstrap's script (80 kB), written here in a few lines. Loaded in the head, without
// defer, so the page is marked as scripted before it is drawn: without JavaScript the menu is
// simply shown open (static/css/app.css).
document.documentElement.classList.add("js");

function setMenu(button, open) {
  const menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  menu.classList.toggle("show", open);
  button.setAttribute("aria-expanded", String(open));
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-menu-toggle]");
  if (button) setMenu(button, button.getAttribute("aria-expanded") !== "true");
});

// Escape closes an open menu and gives the focus back to its button.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const button of document.querySelectorAll('[data-menu-toggle][aria-expanded="true"]')) {
    setMenu(button, false);
    button.focus();
  }
});
