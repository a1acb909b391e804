// Signs (and optionally sends) an inbound request the way each provider does, with the provider's own library where
// one exists on npm: @octokit/webhooks-methods (GitHub), stripe (Stripe), standardwebhooks and svix (Standard
// Webhooks), and the documented construction for Shopify, Slack, GitLab, PagerDuty, Linear and Jira.
//
//   node sign.mjs <kind> <secret> <body-file|-> [--timestamp <unix seconds>] [--id <delivery id>] [--send <inbound_url>]
//
// Prints the headers as JSON, or with --send posts the body to the inbound URL and prints "<status> <response>".
// kind: custom | standard_webhooks | svix | github | stripe | shopify | slack | gitlab | gitlab_signed | pagerduty | linear | jira
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sign as githubSign } from "@octokit/webhooks-methods";
import Stripe from "stripe";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";

const [kind, secret, bodyFile, ...rest] = process.argv.slice(2);
const option = (name) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
if (!kind || secret === undefined || !bodyFile) {
  console.error("usage: node sign.mjs <kind> <secret> <body-file|-> [--timestamp <unix>] [--id <id>] [--send <url>]");
  process.exit(2);
}

const body = readFileSync(bodyFile === "-" ? 0 : bodyFile, "utf8");
const timestamp = Number(option("--timestamp") ?? Math.floor(Date.now() / 1000));
const id = option("--id") ?? randomUUID();
const hmac = (key, data, encoding = "hex") => createHmac("sha256", key).update(data, "utf8").digest(encoding);

async function headersFor() {
  switch (kind) {
    case "custom":
      return { "x-causeloop-signature": hmac(secret, body), "x-causeloop-event-id": id };
    case "standard_webhooks": {
      const signature = new StandardWebhook(secret).sign(id, new Date(timestamp * 1000), body);
      return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
    }
    case "svix": {
      const signature = new SvixWebhook(secret).sign(id, new Date(timestamp * 1000), body);
      return { "svix-id": id, "svix-timestamp": String(timestamp), "svix-signature": signature };
    }
    case "github":
      return { "X-Hub-Signature-256": await githubSign(secret, body), "X-GitHub-Delivery": id, "X-GitHub-Event": "issues" };
    case "stripe": {
      const stripe = new Stripe("sk_test_unused");
      return { "Stripe-Signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }) };
    }
    case "shopify": // shopify.dev: base64 HMAC-SHA256 of the raw body with the app's client secret
      return { "X-Shopify-Hmac-Sha256": hmac(secret, body, "base64"), "X-Shopify-Webhook-Id": id, "X-Shopify-Topic": "orders/create" };
    case "slack": // api.slack.com/authentication/verifying-requests-from-slack
      return { "X-Slack-Signature": "v0=" + hmac(secret, `v0:${timestamp}:${body}`), "X-Slack-Request-Timestamp": String(timestamp) };
    case "gitlab": // docs.gitlab.com: the secret token is sent as it is
      return { "X-Gitlab-Token": secret, "X-Gitlab-Event": "Push Hook", "X-Gitlab-Event-UUID": id };
    case "gitlab_signed": { // GitLab's signing tokens: the Standard Webhooks headers
      const signature = new StandardWebhook(secret).sign(id, new Date(timestamp * 1000), body);
      return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature, "X-Gitlab-Event": "Push Hook", "X-Gitlab-Event-UUID": id };
    }
    case "pagerduty": // developer.pagerduty.com: v1= hex HMAC-SHA256 of the body
      return { "X-PagerDuty-Signature": "v1=" + hmac(secret, body), "X-Webhook-Id": id };
    case "linear": // linear.app/developers/webhooks: hex HMAC-SHA256 of the body; the body carries webhookTimestamp
      return { "Linear-Signature": hmac(secret, body), "Linear-Delivery": id, "Linear-Event": "Issue" };
    case "jira": // developer.atlassian.com: X-Hub-Signature: sha256=<hex HMAC of the body>
      return { "X-Hub-Signature": "sha256=" + hmac(secret, body), "X-Atlassian-Webhook-Identifier": id };
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

const headers = await headersFor();
const url = option("--send");
if (url) {
  const contentType = option("--content-type") ?? "application/json";
  const response = await fetch(url, { method: "POST", headers: { ...headers, "content-type": contentType }, body });
  console.log(`${response.status} ${await response.text()}`);
} else {
  console.log(JSON.stringify(headers));
}
