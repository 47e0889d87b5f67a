// The credits page: packs, Buy by card (Stripe Checkout), balance and payment history, all from /web/api.
// A plain file, not inline script: the site's Content-Security-Policy is default-src 'self'.
"use strict";

(() => {
  const api = "/web/api";
  const csrfHeader = "X-CSRF-TOKEN";
  // After Checkout the credits come from Stripe's webhook, usually within seconds; stop asking after a minute.
  const pollEveryMs = 2000;
  const pollTimes = 30;

  const $ = (id) => document.getElementById(id);
  let csrfToken = null;

  function show(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  const notice = (text) => show($("notice"), text);
  const error = (text) => show($("error"), text);

  /** The ProblemDetails' detail (or title) of a failed response, for the person reading the page. */
  async function reasonOf(response) {
    try {
      const problem = await response.json();
      return problem.detail || problem.title || `Error ${response.status}`;
    } catch {
      return `Error ${response.status}`;
    }
  }

  async function getJson(path) {
    const response = await fetch(api + path, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401) {
      throw new Error("You are not signed in. Sign in on the FaceSwap web app first.");
    }

    if (!response.ok) {
      throw new Error(await reasonOf(response));
    }

    return response.json();
  }

  /** The antiforgery token for state-changing requests, from GET /web/api/csrf. */
  async function csrf() {
    if (csrfToken === null) {
      const body = await getJson("/csrf");
      csrfToken = typeof body === "string" ? body : body.token ?? body.requestToken;
      if (!csrfToken) {
        throw new Error("The page could not get its security token; reload the page.");
      }
    }

    return csrfToken;
  }

  async function showBalance() {
    const me = await getJson("/me");
    $("balance").textContent = `${me.balance} credits`;
    return me.balance;
  }

  async function buy(pack, button) {
    error("");
    button.disabled = true;
    try {
      const response = await fetch(api + "/checkout", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", [csrfHeader]: await csrf() },
        body: JSON.stringify({ packId: pack.id }),
      });
      if (!response.ok) {
        throw new Error(await reasonOf(response));
      }

      const session = await response.json();
      window.location.assign(session.url);
    } catch (e) {
      error(e.message);
      button.disabled = false;
    }
  }

  async function showPacks() {
    const list = await getJson("/packs");
    $("cards-off").hidden = list.cardPayments;
    const items = list.packs.map((pack) => {
      const item = $("pack-template").content.firstElementChild.cloneNode(true);
      item.querySelector(".credits").textContent = `${pack.credits} credits`;
      item.querySelector(".price").textContent = pack.cardPrice;
      item.querySelector(".stars").textContent = `or ${pack.stars} Stars in the chat`;
      const button = item.querySelector(".buy");
      button.disabled = !list.cardPayments;
      button.addEventListener("click", () => buy(pack, button));
      return item;
    });
    $("packs").replaceChildren(...items);
  }

  const statusText = {
    pending: "not paid yet",
    paid: "paid",
    failed: "failed",
    "partly-refunded": "partly refunded",
    refunded: "refunded",
    disputed: "disputed",
  };

  async function showPayments() {
    const payments = await getJson("/payments");
    $("no-payments").hidden = payments.length > 0;
    const items = payments.map((payment) => {
      const item = $("payment-template").content.firstElementChild.cloneNode(true);
      const method = payment.method === "card" ? "by card" : "in the chat";
      item.querySelector(".what").textContent = `${payment.credits} credits, ${payment.price} ${method}`;
      item.querySelector(".when").textContent = new Date(payment.paidAt ?? payment.createdAt).toLocaleString();
      const status = item.querySelector(".status");
      status.textContent = statusText[payment.status] ?? payment.status;
      status.classList.add(`status-${payment.status}`);
      return item;
    });
    $("payments").replaceChildren(...items);
    return payments;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Back from Checkout: the webhook, not this return, credits the pack; wait until the newest card payment is settled. */
  async function awaitCredits() {
    notice("Paid: your credits arrive when Stripe confirms the payment, usually within a few seconds.");
    for (let i = 0; i < pollTimes; i++) {
      const newest = (await showPayments()).find((p) => p.method === "card");
      if (newest && newest.status !== "pending") {
        const balance = await showBalance();
        notice(newest.status === "paid"
          ? `Payment confirmed: ${newest.credits} credits added. You now have ${balance} credits.`
          : `The payment was not completed (${statusText[newest.status] ?? newest.status}). You have ${balance} credits.`);
        return;
      }

      await sleep(pollEveryMs);
    }

    notice("Stripe has not confirmed the payment yet. Your credits are added as soon as it does; reload this page later.");
  }

  async function start() {
    const query = new URLSearchParams(window.location.search);
    // The query only tells how the buyer came back; drop it so a reload does not show the notice again.
    if (query.has("paid") || query.has("cancelled")) {
      window.history.replaceState(null, "", window.location.pathname);
    }

    try {
      await Promise.all([showBalance(), showPacks(), showPayments()]);
      if (query.has("paid")) {
        await awaitCredits();
      } else if (query.has("cancelled")) {
        notice("Payment cancelled: nothing was charged.");
      }
    } catch (e) {
      error(e.message);
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
