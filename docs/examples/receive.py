#!/usr/bin/env python3
"""Receive Causeloop deliveries and verify them (standard library only).

    CAUSELOOP_SIGNING_SECRET=whsec_... PORT=3000 python3 receive.py

Answers 204 when both signatures verify, 401 otherwise. Either check alone is enough in your own
receiver; this one shows both.
"""
import base64
import hashlib
import hmac
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ["CAUSELOOP_SIGNING_SECRET"]
TOLERANCE_SECONDS = 5 * 60


def verify_causeloop(body: bytes, header: str) -> bool:
    # hex(HMAC-SHA256(UTF-8 of the whole secret string, raw body))
    expected = hmac.new(SECRET.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.strip().lower())


def verify_standard(body: bytes, msg_id: str, timestamp: str, header: str) -> bool:
    # Standard Webhooks: v1,base64(HMAC-SHA256(base64-decoded secret after whsec_, "id.timestamp.body"))
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False  # refuse replays of old deliveries
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # One entry per live secret (two during a rotation), space-separated.
    return any(hmac.compare_digest(expected, candidate) for candidate in header.split(" "))


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        # Verify the raw bytes before parsing anything.
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        try:
            ok = verify_causeloop(body, self.headers.get("x-causeloop-signature", "")) and verify_standard(
                body,
                self.headers.get("webhook-id", ""),
                self.headers.get("webhook-timestamp", "0"),
                self.headers.get("webhook-signature", ""),
            )
        except ValueError:
            ok = False
        self.send_response(204 if ok else 401)
        self.end_headers()
        print(("verified " if ok else "rejected ") + self.headers.get("webhook-id", "?"), flush=True)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "3000"))), Handler)
print("ready", flush=True)
server.serve_forever()
