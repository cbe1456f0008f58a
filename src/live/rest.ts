// Talking to Patroni's REST API and etcd's v3 JSON gateway over loopback, each
// request with a short bound: a dead node must never stall the run.
import { LOOPBACK } from "./config.js";

export interface ClusterMember {
  name: string;
  role: string;
  state: string;
  lag?: number | string;
  timeline?: number;
  tags?: Record<string, unknown>;
}

export interface ClusterView {
  members: ClusterMember[];
}

export async function httpJson(url: string, options: { method?: string; body?: unknown; timeoutMs?: number } = {}): Promise<{ status: number; body: unknown } | null> {
  try {
    const response = await fetch(url, {
      method: options.method ?? "GET",
      headers: options.body === undefined ? undefined : { "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 1000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Patroni answers some requests with plain text.
    }
    return { status: response.status, body };
  } catch {
    return null;
  }
}

export function restUrl(port: number, path: string): string {
  return `http://${LOOPBACK}:${port}${path}`;
}

/** GET /cluster from the first node that answers. */
export async function getCluster(restPorts: readonly number[], timeoutMs = 800): Promise<ClusterView | null> {
  for (const port of restPorts) {
    const r = await httpJson(restUrl(port, "/cluster"), { timeoutMs });
    if (r && r.status === 200 && r.body && typeof r.body === "object" && Array.isArray((r.body as ClusterView).members)) return r.body as ClusterView;
  }
  return null;
}

/** The node whose REST API answers 200 on GET /primary (only the running leader does), or null. */
export async function findPrimary(nodes: readonly { name: string; rest: number }[], timeoutMs = 500): Promise<string | null> {
  const answers = await Promise.all(nodes.map(async (n) => ((await httpJson(restUrl(n.rest, "/primary"), { timeoutMs }))?.status === 200 ? n.name : null)));
  return answers.find((a) => a !== null) ?? null;
}

export function isLeaderRole(role: string): boolean {
  return role === "leader" || role === "master" || role === "primary" || role === "standby_leader";
}

export function isSyncRole(role: string): boolean {
  return role === "sync_standby" || role === "quorum_standby";
}

// ---------------------------------------------------------------------------
// etcd v3 (JSON gateway): keys and values are base64

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

export interface LeaderKey {
  holder: string;
  lease: string;
}

/** The Patroni leader key (`/<namespace>/<scope>/leader`): who holds it and under which lease; null when no one does. */
export async function etcdLeaderKey(clientPort: number, key: string, timeoutMs = 500): Promise<LeaderKey | null | undefined> {
  const r = await httpJson(`http://${LOOPBACK}:${clientPort}/v3/kv/range`, { method: "POST", body: { key: b64(key) }, timeoutMs });
  if (!r || r.status !== 200) return undefined;
  const kvs = (r.body as { kvs?: { value?: string; lease?: string }[] }).kvs;
  if (!kvs || kvs.length === 0) return null;
  return { holder: unb64(kvs[0].value ?? ""), lease: kvs[0].lease ?? "0" };
}

/** Seconds left on a lease and its granted TTL (etcd rounds to whole seconds). */
export async function etcdLeaseTtl(clientPort: number, lease: string, timeoutMs = 500): Promise<{ ttl: number; granted: number } | null> {
  const r = await httpJson(`http://${LOOPBACK}:${clientPort}/v3/lease/timetolive`, { method: "POST", body: { ID: lease }, timeoutMs });
  if (!r || r.status !== 200) return null;
  const body = r.body as { TTL?: string; grantedTTL?: string };
  const ttl = Number(body.TTL);
  const granted = Number(body.grantedTTL);
  return Number.isFinite(ttl) && Number.isFinite(granted) ? { ttl, granted } : null;
}

export async function etcdHealthy(clientPort: number): Promise<boolean> {
  const r = await httpJson(`http://${LOOPBACK}:${clientPort}/health`, { timeoutMs: 500 });
  return r !== null && r.status === 200 && typeof r.body === "object" && r.body !== null && String((r.body as { health?: unknown }).health) === "true";
}
