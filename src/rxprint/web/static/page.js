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

  function filterLibrary() {
    const words = search.value.trim().toLowerCase();
    const wanted = category.value;
    let shown = 0;
    for (const card of cards) {
      const match = (!wanted || card.dataset.category === wanted)
        && (!words || card.dataset.title.includes(words));
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
      slot.replaceChildren(...messages.map((text) => {
        const p = document.createElement("p");
        p.textContent = sentence(text);
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

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  search.addEventListener("input", filterLibrary);
  category.addEventListener("change", filterLibrary);
  document.querySelector(".filter").hidden = true;  // the list follows as you type
})();
