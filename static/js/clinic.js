/* Behaviour shared by every page, kept out of the HTML so the Content-Security-Policy can forbid
 * inline scripts and event handlers.
 *
 * data-autosubmit on a select: choosing an option submits its form.
 * data-confirm="question" on a form or a submit button: the browser asks first; cancelling
 * stops the submission (on a button, only a submission through that button asks).
 * data-counter on a field with maxlength: a live "n / max" counter below it; the wording comes
 * from the body's data-counter-format ("%(count)s / %(max)s"), so it follows the page language.
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
    var format = document.body.dataset.counterFormat || "%(count)s / %(max)s";
    counter.textContent = format
      .replace("%(count)s", field.value.length)
      .replace("%(max)s", max);
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
  document.addEventListener("DOMContentLoaded", function () { initCounters(document); });
  document.addEventListener("htmx:afterSwap", function (event) { initCounters(event.target); });
})();
