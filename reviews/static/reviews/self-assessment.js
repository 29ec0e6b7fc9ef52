// The self-assessment's autosave (htmx) says when a save did not reach the server, so
// that nobody leaves believing their words are kept. What was typed stays on the page.
(function () {
  "use strict";
  var form = document.getElementById("self-assessment-form");
  var status = document.getElementById("autosave-status");
  if (!form || !status) {
    return;
  }
  form.addEventListener("htmx:sendError", function () {
    status.textContent =
      "Not saved: the server could not be reached. What you typed is still on this page; " +
      "choose Save when you are back online.";
  });
  form.addEventListener("htmx:responseError", function () {
    status.textContent =
      "Not saved: something went wrong. What you typed is still on this page; " +
      "choose Save to try again.";
  });
})();
