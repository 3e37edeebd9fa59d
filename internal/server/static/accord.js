// Deliveries upload with a progress bar; without JavaScript the form posts as usual.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  var url = form.getAttribute("data-upload");
  if (!url || !window.FormData) return;
  ev.preventDefault();
  var bar = form.querySelector("progress");
  var status = form.querySelector(".upload-status");
  var button = form.querySelector("button[type=submit]");
  var xhr = new XMLHttpRequest();
  xhr.open("POST", url);
  xhr.upload.onprogress = function (e) {
    if (!e.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round((e.loaded / e.total) * 100);
    status.textContent = bar.value + " %";
  };
  xhr.onload = function () {
    if (xhr.status === 201) {
      bar.value = 100;
      window.location.href = window.location.pathname + "#deliveries";
      window.location.reload();
      return;
    }
    button.disabled = false;
    try {
      status.textContent = JSON.parse(xhr.responseText).error.message;
    } catch (e) {
      status.textContent = xhr.status + " " + xhr.statusText;
    }
    status.className = "upload-status error";
  };
  xhr.onerror = function () {
    button.disabled = false;
    status.textContent = form.getAttribute("data-failed");
    status.className = "upload-status error";
  };
  button.disabled = true;
  bar.hidden = false;
  xhr.send(new FormData(form));
});
