// Deliveries upload with a progress bar; without JavaScript the form posts as usual. The server
// answers where to go next (the page with its confirmation, or the form with its problems).
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (!form.classList.contains("deliver") || !window.FormData) return;
  ev.preventDefault();
  var bar = form.querySelector("progress");
  var status = form.querySelector(".upload-status");
  var button = form.querySelector("button[type=submit]");
  var xhr = new XMLHttpRequest();
  xhr.open("POST", form.getAttribute("action"));
  xhr.setRequestHeader("X-Accord-Fetch", "1");
  xhr.upload.onprogress = function (e) {
    if (!e.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round((e.loaded / e.total) * 100);
    status.textContent = bar.value + " %";
  };
  xhr.onload = function () {
    var to = xhr.getResponseHeader("X-Accord-Location");
    if (to) {
      var path = to.split("#")[0];
      window.location.href = to;
      if (path === window.location.pathname) window.location.reload();
      return;
    }
    fail();
  };
  function fail() {
    button.disabled = false;
    status.textContent = form.getAttribute("data-failed");
    status.className = "upload-status error";
  }
  xhr.onerror = fail;
  button.disabled = true;
  bar.hidden = false;
  xhr.send(new FormData(form));
});

// A language switch takes effect when chosen.
document.addEventListener("change", function (ev) {
  if (ev.target.id === "portal-language") ev.target.form.submit();
});

// The reply coach: as the freelancer types a message, what the coach finds is shown under it,
// marked in the text. The server words it; without JavaScript the held reply shows it instead.
(function () {
  var form = document.querySelector("form[data-coach]");
  if (!form || !window.fetch) return;
  var body = form.querySelector("textarea[name=body]");
  var live = document.getElementById("coach-live");
  var timer, asked = 0;
  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var n = ++asked;
      if (!body.value.trim()) { live.innerHTML = ""; return; }
      fetch(form.getAttribute("data-coach"), {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "body=" + encodeURIComponent(body.value)
      }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
        if (n === asked) live.innerHTML = html;
      }).catch(function () {});
    }, 400);
  });
})();

// While a delivery's previews are being made, its list of files is asked for again every two
// seconds and put in place, until none is pending; without JavaScript a reload shows them.
(function () {
  if (!window.fetch) return;
  function watch(el) {
    var url = el.getAttribute("data-refresh"), tries = 0;
    function again() {
      if (++tries > 300) return;
      fetch(url, { credentials: "same-origin", headers: { "X-Accord-Fetch": "1" } }).then(function (res) {
        if (!res.ok) throw new Error(res.status);
        return res.text();
      }).then(function (html) {
        var t = document.createElement("template");
        t.innerHTML = html.trim();
        var fresh = t.content.firstElementChild;
        if (!fresh) return setTimeout(again, 2000);
        el.replaceWith(fresh);
        el = fresh;
        if (fresh.hasAttribute("data-refresh")) setTimeout(again, 2000);
      }).catch(function () { setTimeout(again, 5000); });
    }
    setTimeout(again, 2000);
  }
  document.querySelectorAll("[data-refresh]").forEach(watch);
})();

// A preview page's comments stand where they were pinned; where the client may comment, a
// click on the page pins the new comment there (in thousandths of the page's width and height).
(function () {
  var viewer = document.querySelector(".viewer");
  if (!viewer) return;
  function place(pin, x, y) {
    pin.style.left = x / 10 + "%";
    pin.style.top = y / 10 + "%";
    pin.classList.add("placed");
  }
  viewer.querySelectorAll(".pin[data-x]").forEach(function (pin) {
    place(pin, +pin.getAttribute("data-x"), +pin.getAttribute("data-y"));
  });
  if (!viewer.hasAttribute("data-pin")) return;
  var img = viewer.querySelector("img"), fx = document.getElementById("pin-x"), fy = document.getElementById("pin-y");
  var mark = document.createElement("span");
  mark.className = "pin new";
  mark.textContent = "+";
  viewer.appendChild(mark);
  if (fx.value !== "" && fy.value !== "") place(mark, +fx.value, +fy.value);
  viewer.classList.add("pinnable");
  img.addEventListener("click", function (ev) {
    var box = img.getBoundingClientRect();
    var x = Math.round(((ev.clientX - box.left) / box.width) * 1000);
    var y = Math.round(((ev.clientY - box.top) / box.height) * 1000);
    fx.value = Math.min(1000, Math.max(0, x));
    fy.value = Math.min(1000, Math.max(0, y));
    place(mark, +fx.value, +fy.value);
    document.getElementById("comment-text").focus();
  });
})();
