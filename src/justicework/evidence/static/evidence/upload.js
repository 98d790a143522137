/* The upload page: sends the chosen file with tus-js-client (vendored) to the vault's tus
   endpoint, in chunks, with a progress bar, pause and resume; the collection record travels
   in Upload-Metadata. An upload interrupted earlier (same file, same browser) resumes. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.tus) { return; }
  var data = form.dataset;
  var bar = document.getElementById("progress");
  var statusLine = document.getElementById("status");
  var start = document.getElementById("start");
  var pause = document.getElementById("pause");
  var resume = document.getElementById("resume");
  var upload = null;
  var tz = document.getElementById("collected_tz");
  if (!tz.value) {
    var minutes = -new Date().getTimezoneOffset();
    var sign = minutes < 0 ? "-" : "+";
    var abs = Math.abs(minutes);
    tz.value = sign + String(Math.floor(abs / 60)).padStart(2, "0") + ":" + String(abs % 60).padStart(2, "0");
  }

  function metadata(file) {
    var meta = { filename: file.name };
    ["collector", "tool", "source_url", "method", "sha256_at_collection", "sha256"].forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) { meta[name] = value; }
    });
    if (form.elements.graphic && form.elements.graphic.checked) { meta.graphic = "1"; }
    var when = form.elements.collected_at.value;
    if (when) {
      if (!/^[+-]\d{2}:\d{2}$/.test(tz.value)) { throw new Error(data.msgBadTime); }
      meta.collected_at = (when.length === 16 ? when + ":00" : when) + tz.value;
    }
    return meta;
  }

  function buttons(running) {
    start.disabled = running;
    pause.disabled = !running;
    resume.disabled = running || upload === null;
  }

  function finished(response) {
    var item = response.getHeader("Evidence-Item");
    var sha256 = response.getHeader("Evidence-Sha256");
    if (!item || !sha256) { return; }
    document.getElementById("result-label").textContent = data.msgDone;
    var link = document.getElementById("result-link");
    link.textContent = sha256;
    link.href = item;
    document.getElementById("result").hidden = false;
  }

  function begin(file) {
    upload = new window.tus.Upload(file, {
      endpoint: data.endpoint,
      chunkSize: 4 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000],
      metadata: metadata(file),
      headers: { "X-CSRFToken": data.csrf },
      removeFingerprintOnSuccess: true,
      onProgress: function (sent, total) {
        bar.value = total ? Math.floor((sent / total) * 100) : 100;
        statusLine.textContent = data.msgSending + " " + sent + " / " + total;
      },
      onAfterResponse: function (request, response) { finished(response); },
      onError: function (error) {
        statusLine.textContent = data.msgFailed + " " + (error.originalResponse ? error.originalResponse.getBody() : error.message);
        buttons(false);
      },
      onSuccess: function () { bar.value = 100; statusLine.textContent = ""; upload = null; buttons(false); }
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) { upload.resumeFromPreviousUpload(previous[0]); }
      upload.start();
      buttons(true);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = form.elements.file.files[0];
    if (!file) { return; }
    document.getElementById("result").hidden = true;
    try { begin(file); } catch (error) { statusLine.textContent = error.message; }
  });
  pause.addEventListener("click", function () {
    if (!upload) { return; }
    upload.abort();
    statusLine.textContent = data.msgPaused;
    buttons(false);
  });
  resume.addEventListener("click", function () {
    if (!upload) { return; }
    upload.start();
    buttons(true);
  });
}());
