namespace Causeloop.Api.Portal;

/// <summary>The portal's fixed pages: the landing page that exchanges the link's token, and the error pages.</summary>
public static class PortalPages
{
    private static string Page(string title, string body) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <meta name="referrer" content="no-referrer">
          <title>{{title}} · Causeloop deliveries</title>
          <link rel="stylesheet" href="/portal/portal.css">
        </head>
        <body>
          <header class="bar"><a class="brand" href="/portal/webhooks">Causeloop deliveries</a>
            <nav class="nav"><a href="/portal/webhooks">Webhooks</a><a href="/portal/connectors">Connectors</a></nav></header>
          <main id="main">
        {{body}}
          </main>
        </body>
        </html>
        """;

    /// <summary>The link's landing page: its script exchanges the fragment's token for the cookie and removes the fragment.</summary>
    public static readonly string Landing = Page("Opening", """
            <h1>Opening your delivery portal…</h1>
            <p id="status" role="status">One moment.</p>
            <noscript><p>The portal needs JavaScript to open its link once; after that every page works without it.</p></noscript>
            <script src="/portal/portal.js"></script>
        """);

    public static readonly string Ended = Page("Session ended", """
            <h1>This link or session is no longer valid</h1>
            <p>Portal links work once, and sessions expire or can be revoked. Ask the team that sent you the link for a new one.</p>
        """);

    public static readonly string Forbidden = Page("Not allowed", """
            <h1>Not allowed</h1>
            <p>This portal session may not do that. Ask the team that sent you the link for one that may.</p>
            <p><a href="/portal/webhooks">Back to your webhooks</a></p>
        """);

    public static readonly string NotFound = Page("Not found", """
            <h1>Not found</h1>
            <p>There is nothing at this address for your session.</p>
            <p><a href="/portal/webhooks">Back to your webhooks</a></p>
        """);

    /// <summary>A refused action that may be tried again later: why, and a way back.</summary>
    public static string TooMany(string message, string back) => Page("Try again later", $"""
            <h1>Not now</h1>
            <p role="alert">{System.Net.WebUtility.HtmlEncode(message)}</p>
            <p><a href="{System.Net.WebUtility.HtmlEncode(back)}">Back</a></p>
        """);

    /// <summary>Runs on the landing page: the token never leaves the browser except in this one POST body.</summary>
    public const string Script = """
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
        """;

    public const string Stylesheet = """
        :root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --ok: #1f7a3f; --bad: #b3261e; --accent: #2f5bd3; --bg: #f6f7fa; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
        .bar { background: var(--ink); padding: .75rem 1rem; }
        .brand { color: #fff; font-weight: 600; text-decoration: none; margin-right: 1rem; }
        .nav a { color: #dfe6ff; margin-right: .75rem; }
        main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
        a { color: var(--accent); }
        a:focus, button:focus, input:focus, select:focus { outline: 3px solid #9db5f5; outline-offset: 2px; }
        table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
        th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: .85rem; color: var(--muted); font-weight: 600; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin-bottom: 1rem; }
        .ok { color: var(--ok); } .bad { color: var(--bad); } .muted { color: var(--muted); }
        .url { word-break: break-all; }
        pre { background: #0f1420; color: #e6e9ef; padding: .75rem; border-radius: 6px; overflow-x: auto; font-size: .85rem; }
        form.inline { display: inline; }
        button { font: inherit; padding: .4rem .9rem; border-radius: 5px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); }
        .filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: 1rem; }
        .filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
        input, select { font: inherit; padding: .3rem .4rem; border: 1px solid var(--line); border-radius: 4px; }
        .empty { padding: 1.5rem; text-align: center; color: var(--muted); background: #fff; border: 1px dashed var(--line); border-radius: 6px; }
        @media (max-width: 40rem) {
          table, thead, tbody, tr, th, td { display: block; }
          thead { display: none; }
          tr { border-bottom: 1px solid var(--line); padding: .5rem 0; }
          td { border: 0; padding: .15rem .6rem; }
          td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: .85rem; }
        }
        """;
}
