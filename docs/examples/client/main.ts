// A typed client generated from the service's own OpenAPI document, calling the main operations.
// Generate the types, then compile and run (docs/clients.md):
//   npx openapi-typescript "$CAUSELOOP_URL/openapi/v1.json" -o causeloop.d.ts
//   npx tsc -p . && node out/main.js
import createClient from "openapi-fetch";
import type { paths } from "./causeloop.js";

const baseUrl = process.env.CAUSELOOP_URL ?? "http://localhost:5080";
const apiKey = process.env.CAUSELOOP_API_KEY ?? "";
const receiverUrl = process.env.RECEIVER_URL ?? "https://example.com/hooks/causeloop";

const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });

function must<T>(result: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (result.data === undefined) {
    throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

async function main(): Promise<void> {
  const types = must(await client.GET("/v1/event-types"), "list event types");

  const connector = must(await client.POST("/v1/connectors", { body: { name: "Jira", kind: "custom" } }), "create connector");
  const inbound = must(await client.POST("/v1/webhooks", { body: { connector_id: connector.id } }), "create inbound webhook");

  const outbound = must(
    await client.POST("/v1/webhooks", { body: { url: receiverUrl, event_types: ["sync.completed"], description: "generated client" } }),
    "create outbound webhook",
  );
  const listed = must(await client.GET("/v1/webhooks", { params: { query: { direction: "outbound", limit: 10 } } }), "list webhooks");
  const patched = must(
    await client.PATCH("/v1/webhooks/{id}", { params: { path: { id: outbound.id } }, body: { description: "renamed by the generated client" } }),
    "update webhook",
  );

  const published = must(
    await client.POST("/v1/events", { body: { type: "sync.completed", data: { items: 42 }, idempotency_key: `client-${outbound.id}` } }),
    "publish event",
  );
  const rotated = must(await client.POST("/v1/webhooks/{id}/rotate-secret", { params: { path: { id: outbound.id } } }), "rotate secret");

  // A missing webhook is a typed problem detail, not an exception.
  const missing = await client.GET("/v1/webhooks/{id}", { params: { path: { id: "00000000-0000-0000-0000-000000000000" } } });

  console.log(JSON.stringify({
    event_types: types.data.map((t) => t.name),
    connector_kind: connector.kind,
    inbound_url: inbound.inbound_url,
    outbound_id: outbound.id,
    listed: listed.data.map((w) => w.id),
    description: patched.description,
    event_id: published.id,
    secret_rotated: rotated.signing_secret !== outbound.signing_secret,
    missing_status: missing.response.status,
    missing_title: missing.error?.title,
  }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
