#!/usr/bin/env node
// Receive Causeloop deliveries and verify them with the npm "standardwebhooks" package.
//
//   npm install standardwebhooks
//   CAUSELOOP_SIGNING_SECRET=whsec_... PORT=3000 node receive_standardwebhooks.js
//
// Answers 204 when the webhook-signature header verifies (it also refuses old timestamps), 401 otherwise.
const http = require("node:http");
const { Webhook } = require("standardwebhooks");

const webhook = new Webhook(process.env.CAUSELOOP_SIGNING_SECRET);

http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const payload = Buffer.concat(chunks).toString("utf8");
      try {
        const event = webhook.verify(payload, {
          "webhook-id": req.headers["webhook-id"],
          "webhook-timestamp": req.headers["webhook-timestamp"],
          "webhook-signature": req.headers["webhook-signature"],
        });
        res.writeHead(204).end();
        console.log(`verified ${req.headers["webhook-id"]} ${event.type}`);
      } catch (error) {
        res.writeHead(401).end();
        console.log(`rejected ${req.headers["webhook-id"]}: ${error.message}`);
      }
    });
  })
  .listen(Number(process.env.PORT || 3000), "127.0.0.1", () => console.log("ready"));
