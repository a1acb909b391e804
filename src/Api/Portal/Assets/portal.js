// The landing page's script: the token never leaves the browser except in this one POST body.
(function () {
  var status = document.getElementById("status");
  var match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  history.replaceState(null, "", window.location.pathname);
  if (!match) { window.location.replace("/portal/webhooks"); return; }
  fetch("/portal/exchange", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: decodeURIComponent(match[1]) })
  }).then(function (response) {
    if (response.ok) { window.location.replace("/portal/webhooks"); return; }
    status.textContent = "This link is no longer valid: portal links work once, and sessions expire or can be revoked. Ask for a new one.";
  }, function () {
    status.textContent = "The portal could not be reached. Reload the page to try again.";
  });
})();
