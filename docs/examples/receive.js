#!/usr/bin/env node
// Receive Causeloop deliveries and verify x-causeloop-signature (Node.js, no packages).
//
//   CAUSELOOP_SIGNING_SECRET=whsec_... PORT=3000 node receive.js
//
// Answers 204 when the signature verifies, 401 otherwise.
const crypto = require("node:crypto");
const http = require("node:http");

const secret = process.env.CAUSELOOP_SIGNING_SECRET;

function verifyCauseloop(body, header) {
  // hex(HMAC-SHA256(UTF-8 of the whole secret string, raw body)), compared in constant time.
  const expected = crypto.createHmac("sha256", Buffer.from(secret, "utf8")).update(body).digest();
  let presented;
  try {
    presented = Buffer.from(String(header || ""), "hex");
  } catch {
    return false;
  }
  return presented.length === expected.length && crypto.timingSafeEqual(presented, expected);
}

http
  .createServer((req, res) => {
    // Verify the raw bytes before parsing anything.
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const ok = verifyCauseloop(body, req.headers["x-causeloop-signature"]);
      res.writeHead(ok ? 204 : 401).end();
      console.log(`${ok ? "verified" : "rejected"} ${req.headers["webhook-id"]}`);
      if (ok) {
        const event = JSON.parse(body.toString("utf8"));
        void event; // handle event.type / event.data here
      }
    });
  })
  .listen(Number(process.env.PORT || 3000), "127.0.0.1", () => console.log("ready"));
