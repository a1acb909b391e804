#!/usr/bin/env node
// Send a signed event to a Causeloop inbound endpoint (Node.js 18+, no packages).
//
//   CAUSELOOP_INBOUND_URL=https://.../v1/webhooks/inbound/<connector_id> \
//   CAUSELOOP_SIGNING_SECRET=whsec_... node send_signed.js '{"issue":"CL-1"}'
const crypto = require("node:crypto");

const url = process.env.CAUSELOOP_INBOUND_URL;
const secret = process.env.CAUSELOOP_SIGNING_SECRET;
const eventId = process.env.CAUSELOOP_EVENT_ID;

// Serialise once, sign those exact bytes, send those exact bytes.
const body = Buffer.from(process.argv[2] ?? JSON.stringify({ issue: { key: "CL-1", summary: "Checkout fails" } }), "utf8");

// The key is the UTF-8 bytes of the whole secret string, "whsec_" included.
const signature = crypto.createHmac("sha256", Buffer.from(secret, "utf8")).update(body).digest("hex");

const headers = { "content-type": "application/json", "x-causeloop-signature": signature };
if (eventId) headers["x-causeloop-event-id"] = eventId; // lets Causeloop drop a retried duplicate

fetch(url, { method: "POST", headers, body }).then(async (response) => {
  console.log(response.status, await response.text());
  process.exit(response.ok ? 0 : 1);
});
