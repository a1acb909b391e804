// Outbound figures for bench/run.sh: starts its own receivers on 127.0.0.1, subscribes them through the
// API, publishes events with POST /v1/events and times their arrival. Prints key=value lines.
// Loopback only; every loop is bounded in count and time.
//
//   node bench/outbound.mjs SCENARIO BASE_URL API_KEY
//   SCENARIO: publish | throughput10 | throughput1 | latency200 | latency1000 | fanout | fanout10000 | keyed | fanoutfilters
import http from "node:http";

const [scenario, base, key] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const arrivals = new Map(); // event id -> [arrival ms, ...] (one per subscribed endpoint)
const deliveries = new Set(); // delivery ids seen: a second arrival of one is a duplicate
let delivered = 0;
let duplicates = 0;

function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(base + path, {
      method, agent,
      headers: { authorization: `Bearer ${key}`, ...(data ? { "content-type": "application/json", "content-length": data.length } : {}) },
    }, res => {
      const chunks = [];
      res.on("data", c => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        else resolve(text ? JSON.parse(text) : null);
      });
    });
    req.on("error", reject);
    req.end(data);
  });
}

function receiver() {
  return new Promise(resolve => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const id = req.headers["x-causeloop-event-id"];
        const delivery = req.headers["x-causeloop-delivery-id"];
        if (deliveries.has(delivery)) { duplicates++; res.writeHead(204).end(); return; }
        deliveries.add(delivery);
        const now = performance.now();
        const seen = arrivals.get(id);
        if (seen) seen.push(now); else arrivals.set(id, [now]);
        delivered++;
        res.writeHead(204).end();
      });
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

async function subscribe(servers, type) {
  for (const [i, server] of servers.entries()) {
    await request("POST", "/v1/webhooks", {
      url: `http://127.0.0.1:${server.address().port}/hooks/${i}`, event_types: [type], description: `bench ${scenario} ${i}`,
    });
  }
}

// `count` webhooks of one server for `type`, a path each, 16 created at a time; `filter(i)` gives each its filter.
async function subscribeMany(server, type, count, filter = () => undefined) {
  let made = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (made < count) {
      const i = made++;
      await request("POST", "/v1/webhooks", {
        url: `http://127.0.0.1:${server.address().port}/${type}/${i}`, event_types: [type], description: `bench ${scenario} ${i}`, filter: filter(i),
      });
    }
  }));
}

// Publishes one event to `endpoints` webhooks `times` times; each time until every endpoint had it, sorted.
async function fanOutMs(type, endpoints, times = 3) {
  const runs = [];
  for (let run = 0; run < times; run++) {
    const { id, sent } = await publish(type);
    await waitFor(() => (arrivals.get(id)?.length ?? 0) >= endpoints, 60);
    const times = arrivals.get(id) ?? [];
    runs.push(times.length >= endpoints ? Math.max(...times) - sent : NaN);
  }
  return runs.sort((a, b) => a - b);
}

const payload = { pattern: "checkout 500s", issues: ["CL-1042", "CL-1043"], confidence: 0.93 };

async function publish(type, orderingKey) {
  const sent = performance.now();
  const { id } = await request("POST", "/v1/events", { type, data: payload, ordering_key: orderingKey });
  return { id, sent, answered: performance.now() };
}

async function waitFor(condition, seconds) {
  const deadline = performance.now() + seconds * 1000;
  while (!condition() && performance.now() < deadline) await new Promise(r => setTimeout(r, 5));
  return condition();
}

// Publishes `count` events with `concurrency` requests in flight; returns the publish records.
// `key(i)` gives the i-th event's ordering key (none by default).
async function publishMany(type, count, concurrency, key = () => undefined) {
  const published = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) { const i = next++; published.push(await publish(type, key(i))); }
  }));
  return published;
}

// Publishes at a fixed rate for `seconds`; each event's latency is its first arrival minus its send time.
async function paced(type, rate, seconds) {
  const published = [];
  const pending = [];
  const start = performance.now();
  const total = rate * seconds;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise(r => setTimeout(r, wait));
    pending.push(publish(type).then(p => published.push(p)));
  }
  await Promise.all(pending);
  return published;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function latencies(published) {
  return published.map(p => arrivals.get(p.id)?.[0] - p.sent).filter(x => Number.isFinite(x)).sort((a, b) => a - b);
}

const print = (k, v) => console.log(`${k}=${v}`);

async function main() {
  switch (scenario) {
    case "publish": {
      // POST /v1/events alone (nobody subscribed), as the throughput scenarios publish: the bound of the one-endpoint figure,
      // which publishes one event per delivery.
      const start = performance.now();
      await publishMany("sync.completed", 5000, 32);
      print("publish_only_per_s", (5000 / ((performance.now() - start) / 1000)).toFixed(0));
      break;
    }
    case "throughput10":
    case "throughput1": {
      const endpoints = scenario === "throughput10" ? 10 : 1;
      const events = scenario === "throughput10" ? 2000 : 5000;
      const type = "sync.completed";
      const servers = await Promise.all(Array.from({ length: endpoints }, receiver));
      await subscribe(servers, type);
      const start = performance.now();
      await publishMany(type, events, 32);
      const ok = await waitFor(() => delivered >= events * endpoints, 300);
      const seconds = (performance.now() - start) / 1000;
      print(`outbound_${endpoints}_deliveries_per_s`, (delivered / seconds).toFixed(0));
      print(`outbound_${endpoints}_delivered`, `${delivered}/${events * endpoints}${ok ? "" : " (timed out)"}`);
      print(`outbound_${endpoints}_duplicates`, duplicates);
      break;
    }
    case "latency200":
    case "latency1000": {
      const rate = scenario === "latency200" ? 200 : 1000;
      const seconds = 5;
      const type = "pattern.detected";
      const servers = [await receiver()];
      await subscribe(servers, type);
      const published = await paced(type, rate, seconds);
      await waitFor(() => published.every(p => arrivals.has(p.id)), 120);
      const sorted = latencies(published);
      print(`latency_${rate}_p50_ms`, percentile(sorted, 50).toFixed(1));
      print(`latency_${rate}_p99_ms`, percentile(sorted, 99).toFixed(1));
      print(`latency_${rate}_arrived`, `${sorted.length}/${published.length}`);
      // Where the time goes: the publish's answer (its durable commit) and, after it, the fan-out, lease and send.
      const answer = published.map(p => p.answered - p.sent).sort((a, b) => a - b);
      const after = published.map(p => arrivals.get(p.id)?.[0] - p.answered).filter(x => Number.isFinite(x)).sort((a, b) => a - b);
      print(`latency_${rate}_publish_answered_p50_ms`, percentile(answer, 50).toFixed(1));
      print(`latency_${rate}_after_answer_p50_ms`, percentile(after, 50).toFixed(1));
      break;
    }
    case "fanout":
    case "fanout10000": {
      const endpoints = scenario === "fanout" ? 1000 : 10000;
      const type = "issue.ingested";
      const servers = [await receiver()];
      // One server, a thousand (or ten thousand) webhooks, a path each: the fan-out is the service's work, not the receiver's.
      await subscribeMany(servers[0], type, endpoints);
      await new Promise(r => setTimeout(r, 500));
      const runs = await fanOutMs(type, endpoints);
      print(`fanout_${endpoints}_all_arrived_ms`, runs[1].toFixed(0));
      print(`fanout_${endpoints}_runs_ms`, runs.map(r => r.toFixed(0)).join(","));
      break;
    }
    case "keyed": {
      // One fast endpoint: 5,000 events without a key, then (to a second webhook) 1,000 keys × 5 events, published
      // round-robin over the keys as orders would come in. Keys may cost at most half the speed.
      const events = 5000;
      const rate = async (type, key) => {
        const servers = [await receiver()];
        await subscribe(servers, type);
        const before = delivered;
        const start = performance.now();
        await publishMany(type, events, 32, key);
        const ok = await waitFor(() => delivered - before >= events, 300);
        return { perSecond: (delivered - before) / ((performance.now() - start) / 1000), ok };
      };
      await rate("issue.ingested"); // warm-up: JIT, connections and the claim's learned limits, measured by neither
      const plain = await rate("sync.completed");
      const keyed = await rate("pattern.detected", i => `order-${i % 1000}`);
      print("keyed_unkeyed_5000_deliveries_per_s", plain.perSecond.toFixed(0) + (plain.ok ? "" : " (timed out)"));
      print("keyed_1000x5_deliveries_per_s", keyed.perSecond.toFixed(0) + (keyed.ok ? "" : " (timed out)"));
      print("keyed_ratio", (keyed.perSecond / plain.perSecond).toFixed(2));
      print("keyed_duplicates", duplicates);
      break;
    }
    case "fanoutfilters": {
      // 1,000 webhooks of one type without filters, 1,000 of another with a filter each (all different, all
      // matching): the same fan-out, with and without evaluating a filter per webhook.
      const endpoints = 1000;
      const server = await receiver();
      await subscribeMany(server, "issue.ingested", endpoints);
      await subscribeMany(server, "pattern.detected", endpoints, i => ({
        "data.confidence": { "$gte": i / 10000 },
        "$or": [{ "data.issues": "CL-1042" }, { "data.pattern": { "$in": [`p-${i}`, "checkout 500s"] } }],
      }));
      await new Promise(r => setTimeout(r, 500));
      // Alternated, so a slower moment of a shared machine does not fall on one side only; medians of three.
      const plain = [], filtered = [];
      for (let run = 0; run < 3; run++) {
        plain.push((await fanOutMs("issue.ingested", endpoints, 1))[0]);
        filtered.push((await fanOutMs("pattern.detected", endpoints, 1))[0]);
      }
      const median = xs => xs.sort((a, b) => a - b)[1];
      print("fanout_filters_unfiltered_ms", median(plain).toFixed(0));
      print("fanout_filters_filtered_ms", median(filtered).toFixed(0));
      print("fanout_filters_ratio", (median(filtered) / median(plain)).toFixed(2));
      break;
    }
    default:
      console.error(`unknown scenario ${scenario}`);
      process.exit(2);
  }
  process.exit(0);
}

setTimeout(() => { console.error("outbound.mjs: gave up after 10 minutes"); process.exit(1); }, 600_000).unref();
main().catch(e => { console.error(e.message); process.exit(1); });
