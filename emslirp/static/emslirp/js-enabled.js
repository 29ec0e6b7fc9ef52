// Marks the page as having JavaScript, before it is drawn, as GOV.UK Frontend expects.
// A file of its own: the Content-Security-Policy allows no inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
