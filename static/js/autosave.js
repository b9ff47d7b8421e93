/* Autosave of IP audit answers.
 *
 * Each change is written to localStorage first (key: data-storage-key) and posted to
 * data-autosave-url after a short pause. An entry leaves localStorage only when the server has
 * acknowledged that exact change, so an expired session, a network failure or a closed tab loses
 * nothing: unsent answers are restored into the page and sent again on the next visit, every
 * 15 seconds while the page is open, and when the browser comes back online. The key names the
 * audit round: answers left unsent before a submission are not replayed into a later round.
 */
(function () {
  "use strict";
  var form = document.getElementById("audit-form");
  if (!form || !form.dataset.autosaveUrl || !window.fetch) return;
  var url = form.dataset.autosaveUrl;
  var storageKey = form.dataset.storageKey;
  var statusBox = document.getElementById("autosave-status");
  var progressBox = document.getElementById("section-progress");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timers = {};
  var sending = {};
  var problem = null;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storageKey)) || {}; } catch (e) { return {}; }
  }
  function store(pending) {
    try {
      if (Object.keys(pending).length) window.localStorage.setItem(storageKey, JSON.stringify(pending));
      else window.localStorage.removeItem(storageKey);
    } catch (e) { /* storage full or disabled: the post still goes out */ }
  }
  function box(key) { return form.querySelector('[data-question="' + key + '"]'); }

  function read(key) {
    var container = box(key);
    var checked = container.querySelector('input[name="q__' + key + '"]:checked');
    var field = container.querySelector('[name="q__' + key + '"]:not([type=radio])');
    var note = container.querySelector('[name="note__' + key + '"]');
    return { value: checked ? checked.value : (field ? field.value : ""), note: note ? note.value : "" };
  }

  function restore(key, entry) {
    var container = box(key);
    if (!container) return;
    var radios = container.querySelectorAll('input[type=radio][name="q__' + key + '"]');
    radios.forEach(function (radio) { radio.checked = radio.value === entry.value; });
    var field = container.querySelector('[name="q__' + key + '"]:not([type=radio])');
    if (field) field.value = entry.value;
    var note = container.querySelector('[name="note__' + key + '"]');
    if (note) note.value = entry.note;
  }

  function setStatus(state) {
    if (!statusBox) return;
    var icons = { saving: "bi-arrow-repeat", saved: "bi-cloud-check", offline: "bi-cloud-slash", login: "bi-person-lock" };
    var messages = { saving: form.dataset.msgSaving, saved: form.dataset.msgSaved, offline: form.dataset.msgOffline, login: form.dataset.msgLogin };
    statusBox.className = "small " + (state === "saved" || state === "saving" ? "text-muted" : "text-danger fw-semibold");
    statusBox.innerHTML = "";
    var icon = document.createElement("i");
    icon.className = "bi " + icons[state] + " me-1";
    statusBox.appendChild(icon);
    statusBox.appendChild(document.createTextNode(messages[state]));
    statusBox.dataset.state = state;
  }

  function refresh() {
    var waiting = Object.keys(load()).length;
    var busy = Object.keys(sending).length;
    if (busy) setStatus("saving");
    else if (waiting) setStatus(problem || "offline");
    else setStatus("saved");
  }

  function showError(key, message) {
    var container = box(key);
    if (!container) return;
    container.querySelector(".question-error").textContent = message || "";
  }

  function markSaved(key, data) {
    var container = box(key);
    if (container) {
      showError(key, "");
      var mark = container.querySelector(".save-mark");
      if (mark) mark.classList.remove("d-none");
    }
    if (progressBox && data.section && form.dataset.msgAnswered) {
      var section = data.section;
      if (!box(key)) return;
      progressBox.textContent = form.dataset.msgAnswered
        .replace("%(answered)s", section.answered).replace("%(total)s", section.total);
    }
  }

  function acknowledge(key, stamp) {
    var pending = load();
    if (pending[key] && pending[key].t === stamp) {
      delete pending[key];
      store(pending);
    }
  }

  function send(key) {
    var entry = load()[key];
    if (!entry || sending[key]) return;
    sending[key] = true;
    refresh();
    var body = new URLSearchParams({ question: key, value: entry.value, note: entry.note });
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("content-type") || "").indexOf("application/json") !== -1;
      if (!json) {
        problem = response.type === "opaqueredirect" || response.status === 403 ? "login" : "offline";
        return;
      }
      return response.json().then(function (data) {
        if (data.ok) {
          problem = null;
          acknowledge(key, entry.t);
          markSaved(key, data);
        } else {
          // Refused for good (invalid value, audit no longer open): show why, stop resending.
          acknowledge(key, entry.t);
          showError(key, data.error);
        }
      });
    }).catch(function () {
      problem = "offline";
    }).then(function () {
      delete sending[key];
      var again = load()[key];
      if (again && again.t !== entry.t) schedule(key, 300);
      refresh();
    });
  }

  function schedule(key, delay) {
    clearTimeout(timers[key]);
    timers[key] = setTimeout(function () { send(key); }, delay);
  }

  function remember(key, delay) {
    var pending = load();
    var entry = read(key);
    entry.t = Date.now();
    pending[key] = entry;
    store(pending);
    var mark = box(key).querySelector(".save-mark");
    if (mark) mark.classList.add("d-none");
    setStatus("saving");
    schedule(key, delay);
  }

  function flush() {
    Object.keys(load()).forEach(function (key) { send(key); });
  }

  function keyOf(target) {
    var container = target.closest("[data-question]");
    return container ? container.dataset.question : null;
  }

  form.addEventListener("change", function (event) {
    var key = keyOf(event.target);
    if (key) remember(key, event.target.type === "radio" ? 100 : 400);
  });
  form.addEventListener("input", function (event) {
    var key = keyOf(event.target);
    if (key && event.target.type !== "radio") remember(key, 800);
  });

  window.addEventListener("online", flush);
  window.setInterval(function () { if (Object.keys(load()).length) flush(); }, 15000);
  window.addEventListener("pagehide", function () {
    // Last chance before the tab goes: the entries stay in localStorage until acknowledged.
    if (!navigator.sendBeacon) return;
    var pending = load();
    Object.keys(pending).forEach(function (key) {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrf);
      data.append("question", key);
      data.append("value", pending[key].value);
      data.append("note", pending[key].note);
      navigator.sendBeacon(url, data);
    });
  });

  try {
    var prefix = form.dataset.storagePrefix;
    for (var i = window.localStorage.length - 1; i >= 0; i--) {
      var name = window.localStorage.key(i);
      if (prefix && name.indexOf(prefix) === 0 && name !== storageKey) window.localStorage.removeItem(name);
    }
  } catch (e) { /* storage disabled */ }

  var pending = load();
  Object.keys(pending).forEach(function (key) { restore(key, pending[key]); });
  refresh();
  flush();
})();
