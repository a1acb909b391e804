#!/usr/bin/env python3
"""An OAuth 2.0 token endpoint and a receiver that takes only its tokens (standard library only).

    CLIENT_ID=causeloop CLIENT_SECRET=... CAUSELOOP_SIGNING_SECRET=whsec_... PORT=3000 python3 receive_oauth2.py

POST /oauth/token   the client credentials grant (RFC 6749 §4.4): client_id and client_secret in HTTP Basic
                    authentication (each form-encoded first, client_secret_basic) or in the form (client_secret_post);
                    answers a bearer token that lives an hour.
POST /webhooks      204 when the bearer token is one it issued and still live, and x-causeloop-signature verifies;
                    401 otherwise. Causeloop reuses a token until 60 s before it expires, and fetches a new one once
                    when it gets a 401.

In production the token endpoint is your identity provider's (Auth0, Okta, Keycloak, Entra ID, ...); the receiver checks
the token as that provider documents (a JWT's signature and audience, or introspection).
"""
import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, unquote_plus

CLIENT_ID = os.environ["CLIENT_ID"]
CLIENT_SECRET = os.environ["CLIENT_SECRET"]
SIGNING_SECRET = os.environ["CAUSELOOP_SIGNING_SECRET"]
LIFETIME_SECONDS = 3600
tokens = {}  # token -> unix time it expires


def client_of(headers, form):
    """The (id, secret) the client authenticated with: HTTP Basic, else the form."""
    authorization = headers.get("authorization", "")
    if authorization.startswith("Basic "):
        decoded = base64.b64decode(authorization[6:]).decode("utf-8")
        client_id, _, client_secret = decoded.partition(":")
        return unquote_plus(client_id), unquote_plus(client_secret)
    return form.get("client_id", [""])[0], form.get("client_secret", [""])[0]


def signature_ok(body: bytes, header: str) -> bool:
    expected = hmac.new(SIGNING_SECRET.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.strip().lower())


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.path == "/oauth/token":
            self.token(parse_qs(body.decode("ascii")))
        else:
            self.delivery(body)

    def token(self, form):
        client_id, client_secret = client_of(self.headers, form)
        if form.get("grant_type") != ["client_credentials"]:
            return self.answer(400, {"error": "unsupported_grant_type"})
        if not (hmac.compare_digest(client_id, CLIENT_ID) and hmac.compare_digest(client_secret, CLIENT_SECRET)):
            return self.answer(401, {"error": "invalid_client"})
        token = secrets.token_urlsafe(32)
        tokens[token] = time.time() + LIFETIME_SECONDS
        print("token issued", flush=True)
        self.answer(200, {"access_token": token, "token_type": "Bearer", "expires_in": LIFETIME_SECONDS})

    def delivery(self, body):
        authorization = self.headers.get("authorization", "")
        token = authorization[7:] if authorization.startswith("Bearer ") else ""
        live = tokens.get(token, 0) > time.time()
        ok = live and signature_ok(body, self.headers.get("x-causeloop-signature", ""))
        self.send_response(204 if ok else 401)
        if not live:
            self.send_header("www-authenticate", 'Bearer error="invalid_token"')
        self.end_headers()
        print(("verified " if ok else "rejected ") + self.headers.get("webhook-id", "?"), flush=True)

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("cache-control", "no-store")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "3000"))), Handler)
print("ready", flush=True)
server.serve_forever()
