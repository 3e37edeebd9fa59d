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
