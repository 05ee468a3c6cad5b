// Click (or Enter) on a figure opens it at its natural size over the page; a click,
// Escape or Enter closes it. Added by the book's local extension (book_tweaks).
document.addEventListener("DOMContentLoaded", () => {
  const selector = ".bd-article .cell_output img, .bd-article figure img";
  document.querySelectorAll(selector).forEach((img) => {
    img.classList.add("mt-zoomable");
    img.tabIndex = 0;
    img.setAttribute("role", "button");
    img.title = "Show at full size";
    const open = () => {
      const overlay = document.createElement("div");
      overlay.className = "mt-zoom";
      overlay.setAttribute("role", "dialog");
      overlay.setAttribute("aria-modal", "true");
      overlay.setAttribute("aria-label", "Figure at full size; click or press Escape to close");
      overlay.tabIndex = -1;
      const big = document.createElement("img");
      big.src = img.currentSrc || img.src;
      big.alt = img.alt;
      overlay.appendChild(big);
      const close = () => {
        overlay.remove();
        document.removeEventListener("keydown", onKey);
        img.focus();
      };
      const onKey = (event) => {
        if (event.key === "Escape" || event.key === "Enter") {
          event.preventDefault();
          close();
        }
      };
      overlay.addEventListener("click", close);
      document.addEventListener("keydown", onKey);
      document.body.appendChild(overlay);
      overlay.focus();
    };
    img.addEventListener("click", open);
    img.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        event.stopPropagation();
        open();
      }
    });
  });
});
