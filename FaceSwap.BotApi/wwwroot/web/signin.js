// Where Telegram's login page sends the user back. Telegram puts the signed fields in the URL's fragment
// (#tgAuthResult=<base64 JSON>), which never reaches a server, so this page hands them on to the bot API as the query
// of /web/auth/telegram, where they are checked. A query that already holds them (the login widget's data-auth-url
// mode) is handed on as it is.
(() => {
  "use strict";

  function fieldsFromFragment() {
    const match = /^#tgAuthResult=([A-Za-z0-9_\-+/=]+)$/.exec(window.location.hash);
    if (!match) {
      return null;
    }

    try {
      const base64 = match[1].replace(/-/g, "+").replace(/_/g, "/");
      const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
      const json = new TextDecoder().decode(Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)));
      const result = JSON.parse(json);
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(result)) {
        query.set(key, String(value));
      }

      return query;
    } catch {
      return null;
    }
  }

  const query = fieldsFromFragment() ?? new URLSearchParams(window.location.search);
  if (query.has("hash")) {
    window.location.replace("/web/auth/telegram?" + query.toString());
  } else {
    document.getElementById("status").hidden = true;
    document.getElementById("failed").hidden = false;
  }
})();
