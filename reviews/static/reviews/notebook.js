// Running notes on a slow connection (R21). A note is kept on this device (localStorage)
// from the moment it is saved until the server confirms it; if the connection drops it is
// sent again when the browser is back online, every little while, and when the page is
// next opened. Each note carries a key made here when it is started, so the server stores
// it once however often it is sent. Without this script the form posts as usual.
// Notes still waiting when the person signs out would stay on a shared laptop: signing out
// from this page asks first, then removes them.
(function () {
  "use strict";

  // Read now: document.currentScript is only set while the script first runs.
  var signOutUrl = document.currentScript && document.currentScript.dataset.signOut;
  var PREFIX = "emslirp-notes:";
  var RETRY_MS = 20000;
  var KEPT = "No connection: your note is kept on this device and will be sent again " +
    "when the connection returns.";
  var REFUSED = "Not sent: the server did not accept it (you may have been signed out: " +
    "sign in, then reload this page). Your note is kept on this device and will be sent again.";

  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    // crypto.randomUUID needs a secure context; the same version 4 UUID by hand.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) {
      return (x + 0x100).toString(16).slice(1);
    }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)]
      .join("-");
  }

  function load(name) {
    try {
      return JSON.parse(localStorage.getItem(name)) || [];
    } catch (e) {
      return [];
    }
  }

  function store(name, queue) {
    try {
      if (queue.length) {
        localStorage.setItem(name, JSON.stringify(queue));
      } else {
        localStorage.removeItem(name);
      }
      return true;
    } catch (e) {
      return false; // storage full or refused: the note is still on the page
    }
  }

  function NoteForm(form) {
    var name = form.dataset.queue;
    var text = form.querySelector("textarea");
    var key = form.querySelector("input[name$='client_key']");
    var token = form.querySelector("input[name='csrfmiddlewaretoken']");
    var notes = document.getElementById(form.dataset.notes);
    var pending = document.getElementById(form.dataset.pending);
    var status = document.getElementById(form.dataset.status);
    var group = text.closest(".govuk-form-group");
    var hint = document.getElementById(text.id + "_hint");
    var sending = false;
    // Notes kept before the page was opened already have their keys; a new note gets its own.
    key.value = newKey();

    function say(message) {
      status.textContent = message;
    }

    function showError(message) {
      clearError();
      var error = document.createElement("p");
      error.className = "govuk-error-message";
      error.id = text.id + "-error";
      var hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      hidden.textContent = "Error: ";
      error.appendChild(hidden);
      error.appendChild(document.createTextNode(message));
      text.parentNode.insertBefore(error, text);
      group.classList.add("govuk-form-group--error");
      text.classList.add("govuk-textarea--error");
      text.setAttribute("aria-describedby", (hint ? hint.id + " " : "") + error.id);
    }

    function clearError() {
      // Also a message the server put there when the form last came back refused.
      group.querySelectorAll(".govuk-error-message").forEach(function (old) {
        old.remove();
      });
      group.classList.remove("govuk-form-group--error");
      text.classList.remove("govuk-textarea--error", "govuk-input--error");
      text.removeAttribute("aria-invalid");
      if (hint) {
        text.setAttribute("aria-describedby", hint.id);
      } else {
        text.removeAttribute("aria-describedby");
      }
    }

    function showPending() {
      var queue = load(name);
      var list = pending.querySelector("ol");
      list.textContent = "";
      queue.forEach(function (entry) {
        var item = document.createElement("li");
        item.className = "govuk-body app-prose";
        item.textContent = entry.text;
        list.appendChild(item);
      });
      pending.hidden = queue.length === 0;
    }

    function drop(clientKey) {
      store(name, load(name).filter(function (entry) {
        return entry.key !== clientKey;
      }));
      showPending();
    }

    function flush() {
      var queue = load(name);
      if (sending || !queue.length) {
        return;
      }
      sending = true;
      var entry = queue[0];
      var body = new FormData();
      body.append(token.name, token.value);
      body.append(text.name, entry.text);
      body.append(key.name, entry.key);
      say("Sending your note…");
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {"X-Requested-With": "XMLHttpRequest"},
        // A redirect here is to the sign-in page: the note stays queued.
        redirect: "manual",
      }).then(function (response) {
        if (response.ok && response.headers.get("X-Notebook-Notes")) {
          return response.text().then(function (html) {
            drop(entry.key);
            notes.innerHTML = html;
            say("Your note is saved.");
            sending = false;
            flush();
          });
        }
        if (response.status === 400) {
          // Refused for what it says (empty, too long, the notebook closed): give it back.
          return response.text().then(function (message) {
            drop(entry.key);
            if (text.value.trim()) {
              text.value = entry.text + "\n\n" + text.value; // what was typed since, too
            } else {
              text.value = entry.text;
              key.value = entry.key;
            }
            showError(message);
            say("Your note was not saved.");
            sending = false;
            flush(); // any other note still waiting goes on its way
          });
        }
        sending = false;
        say(REFUSED);
      }).catch(function () {
        sending = false;
        say(KEPT);
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!text.value.trim()) {
        showError("Write your note before saving it.");
        text.focus();
        return;
      }
      clearError();
      var queue = load(name);
      queue.push({key: key.value, text: text.value});
      if (!store(name, queue)) {
        // Nowhere to keep it: let the form post it the ordinary way.
        form.submit();
        return;
      }
      text.value = "";
      key.value = newKey();
      showPending();
      flush();
    });

    showPending();
    flush();
    window.addEventListener("online", flush);
    window.setInterval(flush, RETRY_MS);
  }

  document.querySelectorAll("form[data-note-form]").forEach(NoteForm);

  // Notes kept on this device for a notebook that has closed since: shown to be copied,
  // and removed when the person says so.
  document.querySelectorAll("[data-stranded]").forEach(function (box) {
    var queue = load(box.dataset.stranded);
    var list = box.querySelector("ol");
    queue.forEach(function (entry) {
      var item = document.createElement("li");
      item.className = "govuk-body app-prose";
      item.textContent = entry.text;
      list.appendChild(item);
    });
    box.hidden = queue.length === 0;
    box.querySelector("button").addEventListener("click", function () {
      store(box.dataset.stranded, []);
      box.hidden = true;
    });
  });

  function queueNames() {
    var names = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        if ((localStorage.key(i) || "").indexOf(PREFIX) === 0) {
          names.push(localStorage.key(i));
        }
      }
    } catch (e) {
      // storage refused: nothing is kept on this device
    }
    return names;
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (!signOutUrl || form.getAttribute("action") !== signOutUrl) {
      return;
    }
    form.addEventListener("submit", function (event) {
      var names = queueNames();
      var count = names.reduce(function (sum, name) {
        return sum + load(name).length;
      }, 0);
      var question = (count === 1 ? "1 note has" : count + " notes have") +
        " not been sent from this device yet. If you sign out now, " +
        (count === 1 ? "it is" : "they are") + " lost. Sign out anyway?";
      if (count && !window.confirm(question)) {
        event.preventDefault();
        return;
      }
      names.forEach(function (name) {
        store(name, []);
      });
    });
  });

  // The list refreshed every 15 seconds is put in the page only if it is the list: after
  // the session ends the answer is the sign-in page, which must not land among the notes.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.target.hasAttribute("data-notes-list") &&
        !event.detail.xhr.getResponseHeader("X-Notebook-Notes")) {
      event.detail.shouldSwap = false;
    }
  });
})();
