// rxprint's page: the preview follows the form as it is typed, and the library list
// follows the search. Everything else works without this file (the buttons send the form).
"use strict";

(function () {
  const form = document.getElementById("program");
  if (!form) return;
  // The page came back from a button's POST: the browser would keep that request (the
  // patient's name and notes) in its profile, to send again on reload or restore. Made
  // a plain GET of "/", nothing of the form is kept.
  history.replaceState(null, "", "/");
  const pages = document.getElementById("pages");
  const status = document.getElementById("preview-status");
  const warnings = document.getElementById("preview-warnings");
  const summary = document.getElementById("summary");
  const search = document.getElementById("f-q");
  const category = document.getElementById("f-category");
  const count = document.getElementById("library-count");
  const cards = Array.from(document.querySelectorAll(".card"));
  const notForPreview = new Set(["q", "category", "program"]);
  let timer = null;
  let pending = null;

  // as desk.searchable and Card.matches: lower case, hyphens as spaces, every word found
  function searchable(text) {
    return text.toLowerCase().replace(/-/g, " ").split(/\s+/).filter(Boolean);
  }

  function filterLibrary() {
    const words = searchable(search.value);
    const wanted = category.value;
    let shown = 0;
    for (const card of cards) {
      const match = (!wanted || card.dataset.category === wanted)
        && words.every((word) => card.dataset.words.includes(word));
      card.hidden = !match;
      if (match) shown += 1;
    }
    count.textContent = shown + " of " + cards.length + " exercises shown.";
  }

  function sentence(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function showErrors(errors) {
    for (const slot of document.querySelectorAll("[data-error-for]")) {
      const name = slot.dataset.errorFor;
      const messages = errors[name] || [];
      const label = slot.dataset.label ? slot.dataset.label + ": " : "";
      slot.replaceChildren(...messages.map((text) => {
        const p = document.createElement("p");
        p.textContent = label + sentence(text);
        return p;
      }));
      const input = form.elements.namedItem(name);
      if (input instanceof HTMLElement && input.tagName !== "FIELDSET") {
        if (messages.length) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    }
  }

  function showSummary(general) {
    summary.replaceChildren();
    summary.hidden = general.length === 0;
    if (!general.length) return;
    const heading = document.createElement("h2");
    heading.textContent = "Please check";
    summary.append(heading, ...general.map((text) => {
      const p = document.createElement("p");
      p.textContent = sentence(text);
      return p;
    }));
  }

  function showPages(images) {
    pages.replaceChildren(...images.map((src, i) => {
      const img = document.createElement("img");
      img.src = src;
      img.className = "page";
      img.alt = "Page " + (i + 1) + " of " + images.length + " of the handout";
      return img;
    }));
  }

  async function refresh() {
    if (pending) pending.abort();
    pending = new AbortController();
    const body = new FormData(form);
    for (const name of notForPreview) body.delete(name);
    status.textContent = "Updating the preview…";
    form.setAttribute("aria-busy", "true");
    try {
      const answer = await fetch("/preview", {
        method: "POST", body: body, signal: pending.signal, credentials: "same-origin",
      });
      if (!answer.ok) throw new Error("status " + answer.status);
      const data = await answer.json();
      showErrors(data.errors);
      showSummary(data.general);
      warnings.replaceChildren(...data.warnings.map((text) => {
        const li = document.createElement("li");
        li.textContent = text;
        return li;
      }));
      pages.classList.toggle("stale", !data.pages.length);
      if (data.pages.length) {
        showPages(data.pages);
        status.textContent = data.pages.length + (data.pages.length === 1 ? " page" : " pages");
      } else {
        status.textContent = "No preview: see the problems marked in the form "
          + "(the pages shown are from before).";
      }
    } catch (error) {
      if (error.name === "AbortError") return;
      status.textContent = "The preview could not be updated (" + error.message + ").";
    } finally {
      form.removeAttribute("aria-busy");
    }
  }

  function changed(event) {
    const target = event.target;
    if (!(target instanceof HTMLElement) || notForPreview.has(target.name)) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  }

  // Enter in a one-line field would send the form and reload the page: the preview
  // follows the typing already, so Enter does nothing there.
  form.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key === "Enter" && target instanceof HTMLInputElement
        && !["submit", "button", "checkbox", "file"].includes(target.type)) {
      event.preventDefault();
      if (target === search) filterLibrary();
    }
  });

  // "Use its exercises" replaces the list: ask first when there is one; a standard
  // program chosen while the list is empty fills it at once
  const start = form.querySelector('button[value="start"]');
  const template = document.getElementById("f-template");
  if (start && template) {
    template.addEventListener("change", () => {
      if (template.value && !form.querySelector('input[name$="].id"]')) start.click();
    });
    start.addEventListener("click", (event) => {
      if (form.querySelector('input[name$="].id"]')
          && !window.confirm("Replace the exercises in the list (and their dosage and "
                             + "notes) with the standard program's?")) {
        event.preventDefault();
      }
    });
  }

  // Leaving the page loses the program (nothing is stored): ask, unless a button of
  // the page itself sends it
  let edited = false;
  let sending = false;
  form.addEventListener("submit", () => { sending = true; });
  window.addEventListener("beforeunload", (event) => {
    if (edited && !sending) event.preventDefault();
  });

  form.addEventListener("input", (event) => {
    if (!notForPreview.has(event.target.name)) edited = true;
  });
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // on a wide screen, the preview can take half the width: its pages then print-size
  const larger = document.getElementById("larger");
  const columns = document.querySelector(".columns");
  larger.hidden = false;
  larger.addEventListener("click", () => {
    const on = larger.getAttribute("aria-pressed") !== "true";
    larger.setAttribute("aria-pressed", String(on));
    columns.classList.toggle("wide-preview", on);
  });
  search.addEventListener("input", filterLibrary);
  category.addEventListener("change", filterLibrary);
  document.querySelector(".filter").hidden = true;  // the list follows as you type
})();
