/* Behaviour shared by every page, kept out of the HTML so the Content-Security-Policy can forbid
 * inline scripts and event handlers.
 *
 * data-autosubmit on a select: choosing an option submits its form.
 * data-confirm="question" on a form or a submit button: the browser asks first; cancelling
 * stops the submission (on a button, only a submission through that button asks).
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
})();
