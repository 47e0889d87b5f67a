#!/usr/bin/env python3
"""Seeds a migrated bot API database for bench/growth.sh: USERS users and UPDATES handled Telegram updates received over
the last DAYS days (update ids 1..UPDATES, in time order), plus one dispatched outbox message per 10 updates.

The payloads are what Telegram sends: a mix of text and command messages, photo messages (four sizes) and button
presses (callback queries carrying the bot's photo message and its keyboard), 0.2 % of them failed as the inbox
worker leaves them. Run it while the bot API is stopped.
    bench/growth-seed.py DATABASE UPDATES USERS [DAYS=30]
"""
import base64
import json
import random
import sqlite3
import sys
import time
import uuid

database, updates, users = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
days = int(sys.argv[4]) if len(sys.argv) > 4 else 30
random.seed(42)
EPOCH_TICKS = 621355968000000000  # DateTimeOffset.UtcTicks of 1970-01-01; the bot API stores UTC ticks
now = time.time()
start = now - days * 86400


def ticks(unix_seconds):
    return EPOCH_TICKS + int(unix_seconds * 10_000_000)


def file_id(length):
    return ("AgACAgIAAxkBAAI" + base64.urlsafe_b64encode(random.randbytes(length)).decode())[:length]


FIRST_NAMES = ["Anna", "Ivan", "María", "John", "Olga", "Carlos", "Li", "Fatima", "Dmitry", "Sofía", "Alex", "Priya"]
LANGUAGES = ["en", "ru", "es", "pt-br", "de", "uk", "tr", None]
user_ids = [5_000_000_000 + i * 37 for i in range(users)]
profiles = {}


def profile(user_id):
    if user_id not in profiles:
        name = FIRST_NAMES[user_id % len(FIRST_NAMES)]
        profiles[user_id] = {"id": user_id, "is_bot": False, "first_name": name, "last_name": "Tester",
                             "username": f"{name.lower()}{user_id % 100000}", "language_code": LANGUAGES[user_id % 7]}
    return profiles[user_id]


def chat(user):
    return {"id": user["id"], "first_name": user["first_name"], "last_name": user["last_name"],
            "username": user["username"], "type": "private"}


def photo_sizes():
    # One file, four sizes: the file ids of one photo share most characters, but each is ~85 characters long.
    base = file_id(70)
    return [{"file_id": base + f"{size:04d}AgADeQADMwQ", "file_unique_id": "AQAD" + base64.urlsafe_b64encode(random.randbytes(9)).decode() + f"{size:x}",
             "file_size": size * size // 8, "width": size, "height": size * 3 // 4} for size in (90, 320, 800, 1280)]


def payload(update_id, received):
    user = profile(random.choice(user_ids))
    message_id = update_id % 100_000 + 1
    kind = random.random()
    if kind < 0.35:
        message = {"message_id": message_id, "from": user, "chat": chat(user), "date": int(received), "photo": photo_sizes()}
        return user["id"], json.dumps({"update_id": update_id, "message": message}, separators=(",", ":"), ensure_ascii=False)
    if kind < 0.80:
        text = random.choice(["/start", "/balance", "/faces", "/help", "/history", "hello", "how does this work?"])
        message = {"message_id": message_id, "from": user, "chat": chat(user), "date": int(received), "text": text}
        if text.startswith("/"):
            message["entities"] = [{"offset": 0, "length": len(text), "type": "bot_command"}]
        return user["id"], json.dumps({"update_id": update_id, "message": message}, separators=(",", ":"), ensure_ascii=False)
    bot = {"id": 7_000_000_001, "is_bot": True, "first_name": "FaceSwap", "username": "faceswap_bot"}
    job = uuid.uuid4().hex
    keyboard = {"inline_keyboard": [[{"text": "Same face, new photo", "callback_data": f"again:{job}"}],
                                    [{"text": "New face", "callback_data": f"newface:{job}"}],
                                    [{"text": "Full quality", "callback_data": f"file:{job}"}]]}
    shown = {"message_id": message_id - 1, "from": bot, "chat": chat(user), "date": int(received) - 20,
             "photo": photo_sizes(), "reply_markup": keyboard}
    query = {"id": str(random.getrandbits(62)), "from": user, "message": shown,
             "chat_instance": str(-random.getrandbits(62)), "data": random.choice(keyboard["inline_keyboard"])[0]["callback_data"]}
    return user["id"], json.dumps({"update_id": update_id, "callback_query": query}, separators=(",", ":"), ensure_ascii=False)


def trace_parent():
    return f"00-{random.getrandbits(128):032x}-{random.getrandbits(64):016x}-01"


db = sqlite3.connect(database)
# The bot API turns WAL back on at start; a bulk load needs no journal.
db.execute("PRAGMA journal_mode=OFF")
db.execute("PRAGMA synchronous=OFF")
db.execute("BEGIN")
db.executemany(
    'INSERT INTO users ("Id", "ChatId", "FirstName", "LanguageCode", "CreatedAt", "Step", "FaceBlobKey", "FaceFileId", "LastTargetBlobKey", "MediaGroupId") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ((u, u, profile(u)["first_name"], profile(u)["language_code"], ticks(start - random.random() * 60 * 86400), u % 2,
      f"faceswap:blob:{uuid.uuid4().hex}" if u % 2 else None, file_id(85) if u % 2 else None,
      f"faceswap:blob:{uuid.uuid4().hex}" if u % 3 == 0 else None, None) for u in user_ids))


def update_rows():
    step = (now - start) / max(updates, 1)
    for update_id in range(1, updates + 1):
        received = start + (update_id - 1) * step
        chat_id, body = payload(update_id, received)
        if random.random() < 0.002:
            # Gave up after 5 attempts: no HandledAt, as the inbox worker leaves a failed update.
            yield (update_id, chat_id, body, ticks(received), 2, 5, ticks(received + 62), "HttpRequestException: Bad Gateway", None, trace_parent())
        else:
            yield (update_id, chat_id, body, ticks(received), 1, 1, ticks(received), None, ticks(received + 0.05 + random.random() / 5), trace_parent())


db.executemany(
    'INSERT INTO inbox_updates ("UpdateId", "ChatId", "Payload", "ReceivedAt", "Status", "Attempts", "NextAttemptAt", "LastError", "HandledAt", "TraceParent") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", update_rows())


def outbox_rows():
    for created in sorted(start + random.random() * (now - start) for _ in range(updates // 10)):
        job = uuid.uuid4().hex
        message = {"JobId": job, "ChatId": random.choice(user_ids), "FaceBlobKey": f"faceswap:blob:{uuid.uuid4().hex}",
                   "TargetBlobKey": f"faceswap:blob:{uuid.uuid4().hex}", "Selection": {"Kind": 0, "Index": None},
                   "OutputFormat": 0, "EnqueuedAt": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(created)),
                   "FaceUrl": None, "TargetUrl": None, "TraceParent": trace_parent(), "AskWhenSeveralFaces": True}
        yield ("faceswap:jobs", json.dumps(message, separators=(",", ":")), job, ticks(created), ticks(created + 0.01), 1)


db.executemany('INSERT INTO outbox ("Stream", "Payload", "JobId", "CreatedAt", "DispatchedAt", "Attempts") VALUES (?, ?, ?, ?, ?, ?)', outbox_rows())
db.commit()
db.execute("PRAGMA journal_mode=WAL")
db.close()
