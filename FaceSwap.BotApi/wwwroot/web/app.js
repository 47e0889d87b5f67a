"use strict";
// The FaceSwap web app: no framework and no build step. State-changing calls send the antiforgery token in X-CSRF-TOKEN.
(() => {
  const $ = (id) => document.getElementById(id);
  let csrf = null;
  let termsVersion = null;

  async function api(path, options = {}) {
    const init = { credentials: "same-origin", ...options, headers: { ...(options.headers || {}) } };
    if (init.method && init.method !== "GET") {
      init.headers["X-CSRF-TOKEN"] = csrf;
    }
    const response = await fetch("/web/api" + path, init);
    if (!response.ok) {
      let message = response.statusText;
      try {
        const problem = await response.json();
        message = problem.detail || problem.title || message;
      } catch { /* not JSON */ }
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return response.status === 204 ? null : response.json();
  }

  function show(id, visible) { $(id).hidden = !visible; }

  function status(text, isError = false) {
    $("status").textContent = text;
    $("status").classList.toggle("error", isError);
  }

  async function loadMe() {
    let me;
    try {
      me = await api("/me");
    } catch (error) {
      if (error.status === 401) {
        show("signin", true);
        return;
      }
      throw error;
    }
    csrf = (await api("/csrf")).token;
    termsVersion = me.termsVersion;
    $("who").textContent = me.firstName || "You";
    $("balance").textContent = me.balance;
    show("account", true);
    show("signin", false);
    $("terms-text").textContent = me.termsText;
    show("terms", !me.termsAccepted);
    show("swap", me.termsAccepted);
    show("history-section", true);
    await Promise.all([loadFaces(), loadHistory()]);
  }

  async function loadFaces() {
    const faces = await api("/faces");
    const select = $("saved-faces");
    select.length = 1;
    for (const face of faces) {
      select.add(new Option(face.name, face.id));
    }
    show("saved-faces-label", faces.length > 0);
  }

  async function loadHistory() {
    const swaps = await api("/swaps");
    const list = $("history");
    list.replaceChildren();
    for (const swap of swaps) {
      const item = document.createElement("li");
      const when = document.createElement("span");
      when.textContent = new Date(swap.createdAt).toLocaleString() + " · " + swap.status;
      item.append(when);
      if (swap.resultUrl) {
        const link = document.createElement("a");
        link.href = swap.resultUrl;
        link.textContent = "Open";
        item.append(link);
      } else if (swap.failure) {
        const why = document.createElement("span");
        why.textContent = swap.failure;
        item.append(why);
      }
      list.append(item);
    }
  }

  function preview(input, img) {
    const file = input.files[0];
    img.hidden = !file;
    if (file) {
      img.src = URL.createObjectURL(file);
    }
  }

  // Dropping a photo on a box is the same as picking it.
  function dropZone(zone, input, img) {
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      zone.classList.remove("over");
      if (e.dataTransfer.files.length > 0) {
        input.files = e.dataTransfer.files;
        preview(input, img);
      }
    });
    input.addEventListener("change", () => preview(input, img));
  }

  const statusText = {
    Queued: "Queued…",
    Dispatched: "Swapping faces…",
    AwaitingChoice: "Waiting…",
    Succeeded: "Done.",
    Failed: "Failed.",
  };

  async function poll(id) {
    for (;;) {
      const swap = await api("/swaps/" + encodeURIComponent(id));
      if (swap.status === "Succeeded" && swap.resultUrl) {
        status(statusText.Succeeded);
        showResult(swap);
        return;
      }
      if (swap.status === "Failed" || swap.failure) {
        status(swap.failure || statusText.Failed, true);
        return;
      }
      status(statusText[swap.status] || swap.status);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  function showResult(swap) {
    $("result-image").src = swap.resultUrl;
    $("download").href = swap.resultUrl;
    $("ai-label").textContent = swap.aiLabel || "";
    const send = $("send-to-chat");
    send.dataset.id = swap.id;
    send.disabled = swap.sentToChat;
    send.textContent = swap.sentToChat ? "Sent to your chat" : "Send to my chat";
    show("result", true);
  }

  async function startSwap(event) {
    event.preventDefault();
    const form = new FormData($("swap-form"));
    if ($("face").files.length === 0) {
      form.delete("face");
    }
    $("start").disabled = true;
    show("result", false);
    status("Uploading…");
    try {
      const swap = await api("/swaps", { method: "POST", body: form });
      await poll(swap.id);
      await Promise.all([loadHistory(), refreshBalance()]);
    } catch (error) {
      status(error.message, true);
    } finally {
      $("start").disabled = false;
    }
  }

  async function refreshBalance() {
    $("balance").textContent = (await api("/me")).balance;
  }

  async function acceptTerms() {
    await api("/terms", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ version: termsVersion }) });
    show("terms", false);
    show("swap", true);
  }

  async function sendToChat(event) {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      await api("/swaps/" + encodeURIComponent(button.dataset.id) + "/send-to-chat", { method: "POST" });
      button.textContent = "Sent to your chat";
    } catch (error) {
      status(error.message, true);
      button.disabled = false;
    }
  }

  async function signOut() {
    await fetch("/web/auth/signout", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-TOKEN": csrf } });
    location.reload();
  }

  document.addEventListener("DOMContentLoaded", () => {
    dropZone($("face-drop"), $("face"), $("face-preview"));
    dropZone($("target-drop"), $("target"), $("target-preview"));
    $("swap-form").addEventListener("submit", startSwap);
    $("accept-terms").addEventListener("click", () => acceptTerms().catch((e) => status(e.message, true)));
    $("send-to-chat").addEventListener("click", sendToChat);
    $("signout").addEventListener("click", signOut);
    loadMe().catch((error) => status(error.message, true));
  });
})();
