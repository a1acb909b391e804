#!/usr/bin/env python3
"""Send a signed event to a Causeloop inbound endpoint (standard library only).

    CAUSELOOP_INBOUND_URL=https://.../v1/webhooks/inbound/<connector_id> \
    CAUSELOOP_SIGNING_SECRET=whsec_... python3 send_signed.py '{"issue":"CL-1"}'
"""
import hashlib
import hmac
import os
import sys
import urllib.error
import urllib.request

url = os.environ["CAUSELOOP_INBOUND_URL"]
secret = os.environ["CAUSELOOP_SIGNING_SECRET"]
event_id = os.environ.get("CAUSELOOP_EVENT_ID")

# Serialise once, sign those exact bytes, send those exact bytes.
body = (sys.argv[1] if len(sys.argv) > 1 else '{"issue":{"key":"CL-1","summary":"Checkout fails"}}').encode("utf-8")

# The key is the UTF-8 bytes of the whole secret string, "whsec_" included.
signature = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()

headers = {"content-type": "application/json", "x-causeloop-signature": signature}
if event_id:
    headers["x-causeloop-event-id"] = event_id  # lets Causeloop drop a retried duplicate

request = urllib.request.Request(url, data=body, headers=headers, method="POST")
try:
    with urllib.request.urlopen(request) as response:
        print(response.status, response.read().decode("utf-8"))
except urllib.error.HTTPError as error:
    print(error.code, error.read().decode("utf-8"))
    sys.exit(1)
