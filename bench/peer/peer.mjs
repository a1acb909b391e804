// The peer of bench/run.sh: what a user would pick instead of Causeloop, a webhook sender built on graphile-worker
// (one Node process, 64 jobs at once, a task that POSTs the signed body), on the same Postgres cluster (its own
// database), against the same kind of loopback receiver as bench/outbound.mjs. Its jobs are bulk-inserted for the
// throughput figures (the publish step Causeloop does over HTTP is not counted for it) and added one by one, as a
// caller would, for the latency figure. Prints key=value lines.
//
//   node bench/peer/peer.mjs SCENARIO CONNECTION_STRING
//   SCENARIO: throughput10 | throughput1 | latency200
import crypto from "node:crypto";
import http from "node:http";
import { Logger, makeWorkerUtils, run } from "graphile-worker";

const [scenario, connectionString] = process.argv.slice(2);
const secret = crypto.randomBytes(32);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const arrivals = new Map(); // event id -> arrival ms
let delivered = 0;
let duplicates = 0;

function receiver() {
  return new Promise(resolve => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const id = req.headers["webhook-id"];
        if (arrivals.has(id)) duplicates++; else { arrivals.set(id, performance.now()); delivered++; }
        res.writeHead(204).end();
      });
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// The task: sign the body (Standard Webhooks) and POST it; a non-2xx throws, so graphile-worker retries it.
const taskList = {
  deliver: async ({ url, id, body }) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = crypto.createHmac("sha256", secret).update(`${id}.${timestamp}.${body}`).digest("base64");
    await new Promise((resolve, reject) => {
      const req = http.request(url, {
        method: "POST", agent,
        headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${signature}` },
      }, res => {
        res.resume();
        res.on("end", () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end(body);
    });
  },
};

const payload = { pattern: "checkout 500s", issues: ["CL-1042", "CL-1043"], confidence: 0.93 };
const job = (url, n) => {
  const id = crypto.randomUUID();
  return { id, spec: { identifier: "deliver", payload: { url, id, body: JSON.stringify({ id, type: "pattern.detected", data: { ...payload, n } }) } } };
};

async function waitFor(condition, seconds) {
  const deadline = performance.now() + seconds * 1000;
  while (!condition() && performance.now() < deadline) await new Promise(r => setTimeout(r, 5));
  return condition();
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

const logger = new Logger(() => () => {}); // quiet: its per-job log lines would cost it speed and flood the output
const utils = await makeWorkerUtils({ connectionString, logger });
await utils.migrate();
const runner = await run({ connectionString, concurrency: 64, noHandleSignals: true, pollInterval: 1000, taskList, logger });

try {
  if (scenario === "throughput1" || scenario === "throughput10") {
    const endpoints = scenario === "throughput1" ? 1 : 10;
    const perEndpoint = scenario === "throughput1" ? 5000 : 2000;
    const servers = await Promise.all(Array.from({ length: endpoints }, receiver));
    const jobs = servers.flatMap((s, i) => Array.from({ length: perEndpoint }, (_, n) => job(`http://127.0.0.1:${s.address().port}/hooks/${i}`, n)));
    const started = performance.now();
    for (let i = 0; i < jobs.length; i += 1000) await utils.addJobs(jobs.slice(i, i + 1000).map(j => j.spec));
    await waitFor(() => delivered >= jobs.length, 120);
    const seconds = (performance.now() - started) / 1000;
    const key = endpoints === 1 ? "peer_outbound_1" : "peer_outbound_10";
    console.log(`${key}_deliveries_per_s=${Math.round(delivered / seconds)}`);
    console.log(`${key}_delivered=${delivered}/${jobs.length}`);
    servers.forEach(s => s.close());
  } else if (scenario === "latency200") {
    const server = await receiver();
    const url = `http://127.0.0.1:${server.address().port}/hooks`;
    const sent = new Map();
    const count = 1000;
    for (let n = 0; n < count; n++) {
      const next = performance.now() + 5; // 200 per second
      const j = job(url, n);
      sent.set(j.id, performance.now());
      await utils.addJob(j.spec.identifier, j.spec.payload);
      const wait = next - performance.now();
      if (wait > 0) await new Promise(r => setTimeout(r, wait));
    }
    await waitFor(() => delivered >= count, 60);
    const latencies = [...sent].filter(([id]) => arrivals.has(id)).map(([id, at]) => arrivals.get(id) - at);
    console.log(`peer_latency_200_p50_ms=${percentile(latencies, 50).toFixed(1)}`);
    console.log(`peer_latency_200_p99_ms=${percentile(latencies, 99).toFixed(1)}`);
    console.log(`peer_latency_200_arrived=${latencies.length}/${count}`);
    server.close();
  }
} finally {
  await runner.stop();
  await utils.release();
  agent.destroy();
}
