// The resident's chat page (web/chat.py): lines sent without a reload, the desk's lines
// as they come (Server-Sent Events), the unsent text kept across a reload, and a
// beacon when the tab goes. Without this script the page works by form posts.
"use strict";
(function () {
  var form = document.getElementById("say");
  if (!form) {
    return;
  }
  var thread = document.getElementById("thread");
  var status = document.getElementById("chat-status");
  var problem = document.getElementById("say-error");
  var box = form.elements.text;
  var csrf = form.elements.csrf.value;
  var draftKey = "ohjaus-chat-draft:" + location.pathname;
  var pendingKey = "ohjaus-chat-pending:" + location.pathname;
  var seen = {};
  Array.prototype.forEach.call(thread.querySelectorAll("[data-seq]"), function (line) {
    seen[line.getAttribute("data-seq")] = true;
  });

  function read(key, fallback) {
    try {
      var value = sessionStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch (error) {
      return fallback;
    }
  }

  function write(key, value) {
    try {
      sessionStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      // storage full or refused: the text stays in the box
    }
  }

  function newRef() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  var draft = read(draftKey, "");
  if (draft && !box.value) {
    box.value = draft;
  }
  box.addEventListener("input", function () {
    write(draftKey, box.value);
  });

  function settle(ref) {
    write(
      pendingKey,
      read(pendingKey, []).filter(function (line) {
        return line.ref !== ref;
      })
    );
  }

  function send(line) {
    var body = new URLSearchParams();
    body.set("csrf", csrf);
    body.set("text", line.text);
    body.set("ref", line.ref);
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (answer) {
        if (answer.status === 429 || answer.status >= 500) {
          setTimeout(function () {
            send(line);
          }, 3000);
          return null;
        }
        settle(line.ref);
        return answer.json().then(function (said) {
          if (said && said.error) {
            problem.textContent = said.error;
            problem.hidden = false;
            if (!box.value) {
              box.value = line.text;
              write(draftKey, box.value);
            }
          }
        });
      })
      .catch(function () {
        setTimeout(function () {
          send(line);
        }, 3000);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = box.value.trim();
    if (!text) {
      return;
    }
    problem.hidden = true;
    var line = { ref: newRef(), text: text };
    var pending = read(pendingKey, []);
    pending.push(line);
    write(pendingKey, pending);
    box.value = "";
    write(draftKey, "");
    send(line);
    box.focus();
  });

  read(pendingKey, []).forEach(send); // sent before a reload, perhaps not received

  function shown(line) {
    var item = document.createElement("li");
    item.className = "line " + (line.mine ? "mine" : "desk");
    item.setAttribute("data-seq", String(line.seq));
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = line.who;
    var at = document.createElement("time");
    at.textContent = line.at;
    var text = document.createElement("p");
    text.textContent = line.text;
    item.appendChild(who);
    item.appendChild(at);
    item.appendChild(text);
    return item;
  }

  var events = new EventSource(form.getAttribute("data-events"));
  events.addEventListener("chat", function (event) {
    var data = JSON.parse(event.data);
    if (data.reload) {
      events.close();
      location.reload();
      return;
    }
    data.lines.forEach(function (line) {
      if (!seen[line.seq]) {
        seen[line.seq] = true;
        thread.appendChild(shown(line));
      }
    });
    if (data.status && status.textContent !== data.status) {
      status.textContent = data.status;
    }
  });

  window.addEventListener("pagehide", function () {
    var body = new URLSearchParams();
    body.set("csrf", csrf);
    navigator.sendBeacon(form.getAttribute("data-beacon"), body);
  });
})();
