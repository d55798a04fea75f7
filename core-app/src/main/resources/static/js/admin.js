// The admin's colour mode and keyboard shortcuts. Loaded in <head> so the mode is set before the first paint.
(() => {
  const root = document.documentElement;
  const stored = localStorage.getItem("tandem-admin-theme");
  const dark = stored ? stored === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  root.setAttribute("data-bs-theme", dark ? "dark" : "light");

  const toggleTheme = () => {
    const next = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
    root.setAttribute("data-bs-theme", next);
    localStorage.setItem("tandem-admin-theme", next);
  };

  const typing = (target) => target.closest("input, textarea, select, [contenteditable]") !== null;
  let current = -1;
  let pendingG = false;

  const rows = () => Array.from(document.querySelectorAll("tr.admin-row"));
  const focusRow = (index) => {
    const all = rows();
    if (all.length === 0) return;
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach((row, i) => row.classList.toggle("admin-row-focus", i === current));
    all[current].scrollIntoView({ block: "nearest" });
  };

  const countSelected = () => {
    const count = document.querySelectorAll("input.row-check:checked").length;
    const label = document.getElementById("selected-count");
    if (label) label.textContent = count === 0 ? "" : `${count} selected`;
    rows().forEach((row) => row.classList.toggle("table-active", row.querySelector("input.row-check")?.checked === true));
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("theme-toggle")?.addEventListener("click", toggleTheme);
    document.getElementById("keys-toggle")?.addEventListener("click", () => document.getElementById("keys")?.showModal());
    document.getElementById("select-all")?.addEventListener("change", (event) => {
      document.querySelectorAll("input.row-check").forEach((box) => { box.checked = event.target.checked; });
      countSelected();
    });
    document.querySelectorAll("input.row-check").forEach((box) => box.addEventListener("change", countSelected));

    // A reference's look-up list: matching objects from the target's admin, as the staff member types.
    document.querySelectorAll("input[data-lookup]").forEach((input) => {
      let timer;
      input.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(async () => {
          const response = await fetch(`${input.dataset.lookup}?q=${encodeURIComponent(input.value)}`,
            { headers: { Accept: "text/html" } });
          if (response.ok) document.getElementById(input.getAttribute("list")).innerHTML = await response.text();
        }, 200);
      });
    });
  });

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      const save = document.getElementById("save");
      if (save) {
        event.preventDefault();
        save.click();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const go = (selector) => document.querySelector(selector)?.click();
    if (pendingG) {
      pendingG = false;
      if (event.key === "h") window.location.assign("/admin");
      return;
    }
    switch (event.key) {
      case "/": event.preventDefault(); document.getElementById("search")?.focus(); break;
      case "j": focusRow(current + 1); break;
      case "k": focusRow(current - 1); break;
      case "x": {
        const box = rows()[current]?.querySelector("input.row-check");
        if (box) { box.checked = !box.checked; countSelected(); }
        break;
      }
      case "Enter": if (current >= 0) rows()[current]?.querySelector("a.row-link")?.click(); break;
      case "n": go("#add-new"); break;
      case "d": toggleTheme(); break;
      case "g": pendingG = true; break;
      case "?": document.getElementById("keys")?.showModal(); break;
      default:
    }
  });
})();
