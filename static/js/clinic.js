/* Behaviour shared by every page, kept out of the HTML so the Content-Security-Policy can forbid
 * inline scripts and event handlers.
 *
 * data-autosubmit on a select: choosing an option submits its form.
 * data-confirm="question" on a form or a submit button: the browser asks first; cancelling
 * stops the submission (on a button, only a submission through that button asks).
 * The main navigation marks the link of the current section (the longest matching path) with
 * aria-current="page".
 * data-counter on a field with maxlength: a live "n / max" counter below it; the wording comes
 * from the body's data-counter-format ("{count} / {max}"), so it follows the page language.
 */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
      field.form.requestSubmit();
    }
  });

  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var question = (submitter && submitter.dataset.confirm) || event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  function counterFor(field) {
    var counter = document.createElement("div");
    counter.className = "form-text text-end char-counter";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    return counter;
  }

  function updateCounter(field) {
    var counter = field._counter || (field._counter = counterFor(field));
    var max = parseInt(field.getAttribute("maxlength"), 10);
    var format = document.body.dataset.counterFormat || "{count} / {max}";
    counter.textContent = format
      .replace("{count}", field.value.length)
      .replace("{max}", max);
    counter.classList.toggle("text-danger", field.value.length >= max);
  }

  function initCounters(root) {
    root.querySelectorAll("[data-counter][maxlength]").forEach(updateCounter);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-counter][maxlength]")) {
      updateCounter(event.target);
    }
  });
  function markCurrentNav() {
    var best = null;
    var path = window.location.pathname;
    document.querySelectorAll("#mainnav a.nav-link[href], #mainnav a.dropdown-item[href]").forEach(
      function (link) {
        var href = link.getAttribute("href");
        var matches = href === "/" ? path === "/" : path.indexOf(href) === 0;
        if (matches && (!best || href.length > best.getAttribute("href").length)) best = link;
      }
    );
    if (!best) return;
    best.setAttribute("aria-current", "page");
    best.classList.add("active");
    var menu = best.closest(".dropdown");
    if (menu) menu.querySelector(".nav-link").classList.add("active");
  }

  document.addEventListener("DOMContentLoaded", function () {
    initCounters(document);
    markCurrentNav();
  });
  document.addEventListener("htmx:afterSwap", function (event) { initCounters(event.target); });
})();
