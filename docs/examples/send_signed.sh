#!/usr/bin/env bash
# Send a signed event to a Causeloop inbound endpoint with curl and openssl.
#
#   CAUSELOOP_INBOUND_URL=https://.../v1/webhooks/inbound/<connector_id> \
#   CAUSELOOP_SIGNING_SECRET=whsec_... ./send_signed.sh '{"issue":"CL-1"}'
set -euo pipefail

body=${1:-'{"issue":{"key":"CL-1","summary":"Checkout fails"}}'}

# Write the body to a file once and send that file: the signed bytes are the sent bytes.
file=$(mktemp)
trap 'rm -f "$file"' EXIT
printf '%s' "$body" > "$file"

# The key is the whole secret string, "whsec_" included.
signature=$(openssl dgst -sha256 -hmac "$CAUSELOOP_SIGNING_SECRET" -r "$file" | cut -d' ' -f1)

curl -sS --fail-with-body -X POST "$CAUSELOOP_INBOUND_URL" \
  -H 'content-type: application/json' \
  -H "x-causeloop-signature: $signature" \
  ${CAUSELOOP_EVENT_ID:+-H "x-causeloop-event-id: $CAUSELOOP_EVENT_ID"} \
  --data-binary "@$file" \
  -w ' %{http_code}\n'
