// Chat page for the Telegram emulator: plain JS over the control API, refreshed by polling.
"use strict";

const presets = [
  { id: 1001, name: "Ann" },
  { id: 1002, name: "Boris" },
  { id: 1003, name: "Carla" },
];
const colors = ["#e17076", "#7bc862", "#65aadd", "#a695e7", "#ee7aae", "#6ec9cb", "#faa774"];

const $ = (id) => document.getElementById(id);
const state = {
  users: loadUsers(),
  current: Number(localStorage.getItem("emulator.current")) || 1001,
  lastTranscript: "",
  stickToBottom: true,
};

// Follow new messages unless the reader scrolled up; images finish loading later and grow the list.
$("messages").addEventListener("scroll", () => {
  const box = $("messages");
  state.stickToBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
});

function followBottom() {
  if (state.stickToBottom) $("messages").scrollTop = $("messages").scrollHeight;
}

function loadUsers() {
  try {
    const saved = JSON.parse(localStorage.getItem("emulator.users") || "[]");
    const all = [...presets];
    for (const u of saved) if (!all.some((p) => p.id === u.id)) all.push(u);
    return all;
  } catch {
    return [...presets];
  }
}

function saveUsers() {
  localStorage.setItem("emulator.users", JSON.stringify(state.users.filter((u) => !presets.some((p) => p.id === u.id))));
}

function currentUser() {
  return state.users.find((u) => u.id === state.current) || state.users[0];
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function avatar(user) {
  return el("div", { class: "avatar", style: `background:${colors[user.id % colors.length]}` }, user.name.slice(0, 1).toUpperCase());
}

function toast(text) {
  const box = $("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 3500);
}

async function api(path, options = {}) {
  const response = await fetch(path, options);
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    throw new Error((body && (body.detail || body.title)) || `HTTP ${response.status}`);
  }
  return body;
}

const postJson = (path, body) =>
  api(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

// ---- sidebar ----

function renderUsers() {
  const list = $("users");
  list.replaceChildren(
    ...state.users.map((u) =>
      el("li", { class: u.id === state.current ? "active" : "", onclick: () => selectUser(u.id) },
        avatar(u),
        el("div", {}, el("div", { class: "name" }, u.name), el("div", { class: "meta" }, `id ${u.id}`)))));
  const user = currentUser();
  $("chatting-as").textContent = `you are ${user.name} (${user.id})`;
}

function selectUser(id) {
  state.current = id;
  state.stickToBottom = true;
  state.lastTranscript = "";
  localStorage.setItem("emulator.current", String(id));
  renderUsers();
  refresh();
}

$("add-user").addEventListener("submit", (event) => {
  event.preventDefault();
  const name = $("new-name").value.trim();
  const id = Number($("new-id").value) || 2000 + Math.floor(Math.random() * 100000);
  if (!name) return;
  if (!state.users.some((u) => u.id === id)) state.users.push({ id, name });
  saveUsers();
  $("new-name").value = "";
  $("new-id").value = "";
  selectUser(id);
});

// ---- messages ----

// Links come from the bot under test: only web and tg: links become clickable, never javascript: and the like.
function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return ["http:", "https:", "tg:"].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

function fileUrl(fileId) {
  return `/control/files/${encodeURIComponent(fileId)}`;
}

function inlineKeyboard(item) {
  const markup = item.replyMarkup;
  if (!markup || !markup.inline_keyboard || item.deleted) return null;
  return el("div", { class: "keyboard" },
    markup.inline_keyboard.map((row) =>
      el("div", { class: "krow" },
        row.map((button) => {
          if (button.url) return el("a", { href: safeUrl(button.url), target: "_blank", rel: "noopener" }, button.text, " ↗");
          if (button.pay) return null; // the invoice card has its own Pay button
          return el("button", { type: "button", onclick: () => pressButton(item.messageId, button.callback_data) }, button.text);
        }))));
}

function invoiceCard(item) {
  const invoice = item.invoice;
  const payButton = el("button", { type: "button", class: "pay" }, `Pay ⭐${invoice.total_amount}`);
  payButton.addEventListener("click", () => pay(item.messageId, payButton));
  return el("div", { class: "invoice" },
    el("div", { class: "inv-title" }, invoice.title),
    el("div", { class: "inv-desc" }, invoice.description),
    item.deleted ? null : payButton);
}

// Renders text with Telegram entities (offsets are UTF-16 units, like JS strings): each stretch
// between entity boundaries is wrapped in every entity that covers it, which also handles nesting.
function formatted(text, entities) {
  const box = el("div");
  if (!entities || !entities.length) {
    box.textContent = text;
    return box;
  }
  const cuts = new Set([0, text.length]);
  for (const e of entities) {
    cuts.add(e.offset);
    cuts.add(e.offset + e.length);
  }
  const points = [...cuts].filter((n) => n >= 0 && n <= text.length).sort((a, b) => a - b);
  for (let k = 0; k < points.length - 1; k++) {
    const [from, to] = [points[k], points[k + 1]];
    let node = document.createTextNode(text.slice(from, to));
    for (const e of entities.filter((x) => x.offset <= from && x.offset + x.length >= to)) {
      node = wrap(node, e, text.slice(e.offset, e.offset + e.length));
    }
    box.append(node);
  }
  return box;
}

function wrap(node, entity, whole) {
  const tags = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "code", blockquote: "q", expandable_blockquote: "q" };
  let outer;
  if (entity.type === "text_link" || entity.type === "url") {
    outer = el("a", { href: safeUrl(entity.url || whole), target: "_blank", rel: "noopener" });
  } else if (entity.type === "bot_command") {
    outer = el("a", { href: "#", class: "cmd", onclick: (ev) => { ev.preventDefault(); sendText(whole); } });
  } else if (entity.type === "spoiler") {
    outer = el("span", { class: "spoiler", onclick: (ev) => ev.currentTarget.classList.toggle("shown") });
  } else {
    outer = el(tags[entity.type] || "span");
  }
  outer.append(node);
  return outer;
}

function time(message) {
  return new Date(message.date * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function renderItem(item) {
  const m = item.message;
  if (m.successful_payment) {
    return el("div", { class: "service" }, `You paid ⭐${m.successful_payment.total_amount} · ${m.successful_payment.invoice_payload}`);
  }
  if (m.refunded_payment) {
    return el("div", { class: "service" }, `Refunded ⭐${m.refunded_payment.total_amount}`);
  }

  const parts = [];
  if (item.deleted) {
    parts.push("message deleted");
  } else {
    if (item.photoFileId) parts.push(el("img", { class: "photo", src: fileUrl(item.photoFileId), alt: "photo", onload: followBottom }));
    if (m.sticker) parts.push(el("img", { class: "sticker", src: fileUrl(m.sticker.file_id), alt: m.sticker.emoji || "sticker", onload: followBottom }));
    if (m.document) {
      parts.push(el("a", { class: "doc", href: fileUrl(m.document.file_id), download: m.document.file_name || "file" },
        el("span", { class: "icon" }, "⬇"),
        el("span", {}, m.document.file_name || "file", el("br"), el("small", {}, `${Math.ceil((m.document.file_size || 0) / 1024)} KB`))));
    }
    if (item.invoice) parts.push(invoiceCard(item));
    if (item.text) parts.push(formatted(item.text, m.entities));
    if (item.caption) parts.push(formatted(item.caption, m.caption_entities));
    parts.push(inlineKeyboard(item));
  }
  parts.push(el("div", { class: "meta-line" }, item.edited ? "edited · " : "", time(m)));

  return el("div", { class: `row ${item.fromBot ? "theirs" : "mine"}` },
    el("div", { class: `bubble${item.deleted ? " deleted" : ""}${m.sticker && !item.deleted ? " bare" : ""}` }, parts));
}

function renderReplyKeyboard(items) {
  // A reply keyboard stays until another message replaces or removes it.
  const existing = document.querySelector(".reply-keyboard");
  if (existing) existing.remove();
  const lastBot = [...items].reverse().find((i) => i.fromBot && i.replyMarkup && (i.replyMarkup.keyboard || i.replyMarkup.remove_keyboard));
  if (!lastBot || !lastBot.replyMarkup.keyboard) return;
  const bar = el("div", { class: "reply-keyboard" },
    lastBot.replyMarkup.keyboard.flat().map((b) => {
      const text = typeof b === "string" ? b : b.text;
      return el("button", { type: "button", onclick: () => sendText(text) }, text);
    }));
  $("composer").before(bar);
}

async function refresh() {
  const user = currentUser();
  try {
    const [items, action, chat] = await Promise.all([
      api(`/control/users/${user.id}/messages`),
      api(`/control/users/${user.id}/chat-action`),
      fetch(`/control/users/${user.id}`).then((r) => (r.ok ? r.json() : null)),
    ]);
    renderChatState(chat);
    const status = $("status");
    if (action.action) {
      status.textContent = action.action === "typing" ? "typing…" : `${action.action.replaceAll("_", " ")}…`;
      status.className = "status typing";
    } else {
      status.textContent = "bot";
      status.className = "status";
    }

    const json = JSON.stringify(items);
    if (json === state.lastTranscript) return;
    state.lastTranscript = json;
    const box = $("messages");
    box.replaceChildren(...(items.length ? items.map(renderItem) : [el("div", { class: "empty" }, "No messages yet. Say /start.")]));
    renderReplyKeyboard(items);
    followBottom();
  } catch (error) {
    $("status").textContent = `emulator unreachable: ${error.message}`;
  }
}

async function refreshState() {
  try {
    const s = await api("/control/state");
    $("state").textContent =
      `${s.webhookUrl ? "webhook → " + s.webhookUrl : "long polling (no webhook)"} · pending ${s.pendingUpdates} · delivered ${s.deliveredUpdates}` +
      (s.lastError ? ` · last error: ${s.lastError}` : "");
  } catch {
    $("state").textContent = "state unavailable";
  }
}

// The user's side of the chat: whether they blocked the bot (or their account is gone) and the button to change it.
const stateLabels = { Blocked: "you blocked the bot", Deactivated: "account deactivated", NotFound: "chat unknown to Telegram" };

function renderChatState(chat) {
  const label = $("chat-state");
  const button = $("block");
  const chatState = chat ? chat.state : null;
  label.hidden = !stateLabels[chatState];
  label.textContent = stateLabels[chatState] || "";
  label.dataset.state = chatState || "none";
  button.disabled = chatState !== "Active" && chatState !== "Blocked";
  button.textContent = chatState === "Blocked" ? "Unblock" : "Block the bot";
  button.dataset.state = chatState || "none";
}

$("block").addEventListener("click", async () => {
  const button = $("block");
  const action = button.dataset.state === "Blocked" ? "unblock" : "block";
  try {
    renderChatState(await postJson(`/control/users/${currentUser().id}/${action}`, {}));
  } catch (error) {
    toast(error.message);
  }
});

// ---- actions ----

async function sendText(text) {
  const user = currentUser();
  try {
    await postJson(`/control/users/${user.id}/text`, { text, firstName: user.name, languageCode: navigator.language?.slice(0, 2) || "en" });
    refresh();
  } catch (error) {
    toast(error.message);
  }
}

async function pressButton(messageId, data) {
  try {
    await postJson(`/control/users/${currentUser().id}/callback`, { messageId, data });
    setTimeout(showCallbackAnswer, 1200);
  } catch (error) {
    toast(error.message);
  }
}

async function showCallbackAnswer() {
  const answers = await api(`/control/users/${currentUser().id}/callback-answers`);
  const last = answers[answers.length - 1];
  if (last && last.text) toast(last.text);
}

async function pay(messageId, button) {
  button.disabled = true;
  button.textContent = "Paying…";
  try {
    const result = await postJson(`/control/users/${currentUser().id}/pay`, { messageId });
    toast(result.status === "paid" ? "Payment done ⭐" : result.status === "declined" ? `Declined: ${result.errorMessage}` : "The bot did not confirm in time");
  } catch (error) {
    toast(error.message);
  } finally {
    button.disabled = false;
    refresh();
  }
}

async function upload(path, form) {
  try {
    await api(path, { method: "POST", body: form });
    refresh();
  } catch (error) {
    toast(error.message);
  }
}

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("text").value.trim();
  if (!text) return;
  $("text").value = "";
  sendText(text);
});

$("photo-input").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  form.append("asDocument", $("as-document").checked ? "true" : "false");
  form.append("firstName", currentUser().name);
  const caption = $("text").value.trim();
  if (caption) {
    form.append("caption", caption);
    $("text").value = "";
  }
  event.target.value = "";
  await upload(`/control/users/${currentUser().id}/photo`, form);
});

$("album-input").addEventListener("change", async (event) => {
  const files = [...event.target.files];
  if (files.length < 2) {
    toast("Pick 2 to 10 photos for an album");
    return;
  }
  const form = new FormData();
  files.slice(0, 10).forEach((f) => form.append("files", f));
  form.append("firstName", currentUser().name);
  event.target.value = "";
  await upload(`/control/users/${currentUser().id}/album`, form);
});

$("sticker").addEventListener("click", () => upload(`/control/users/${currentUser().id}/sticker`, new FormData()));

// ---- start ----

renderUsers();
api("/control/bot").then((bot) => ($("bot-name").textContent = `${bot.firstName} · @${bot.username}`)).catch(() => {});
refresh();
refreshState();
setInterval(refresh, 1000);
setInterval(refreshState, 3000);
