// Per node, the versions (write ids) of each key: a version is stored when its
// write is sent, with the time it lands, so a read that arrives earlier still
// sees the version before it, and a host crash takes back every version that
// had not landed yet. Versions of one key are stored in version order (each
// newer than the last), so the one visible at time t is the last stored that
// has landed by t.
//
// The common case is one version in flight at most: `ver` (landed at `at`, or
// landing then) over `prev`, which has landed. Two or more in flight at once
// (hot keys, slow links) move the key to an exact list until all but one have
// landed. Queries never look back before the present (`now` only grows), so a
// version followed by a landed newer one is dropped. Dense typed arrays for
// small key spaces, maps beyond.
//
// Without `now` (the multi-leader shape), `set` keeps the older two-slot
// approximation, and `revert` takes back one given version; a store is used
// one way or the other, never both.

import { LIMITS } from "../base/limits.js";

interface Version {
  ver: number;
  /** When it lands (0 for one that has). */
  at: number;
}

/** The versions of each key on each node, exact while several are in flight. */
export class VersionStore {
  private readonly dense: { ver: Int32Array; prev: Int32Array; at: Float64Array } | null;
  private readonly sparse: Map<number, { ver: number; prev: number; at: number }>[] | null;
  /** Keys with two or more versions in flight: every version not yet superseded, in version order. By node × keys + key. */
  private readonly inFlight = new Map<number, Version[]>();

  constructor(
    private readonly nodes: number,
    private readonly keys: number,
  ) {
    if (nodes * keys <= LIMITS.denseVersionSlots) {
      this.dense = { ver: new Int32Array(nodes * keys).fill(-1), prev: new Int32Array(nodes * keys).fill(-1), at: new Float64Array(nodes * keys) };
      this.sparse = null;
    } else {
      this.dense = null;
      this.sparse = Array.from({ length: nodes }, () => new Map());
    }
  }

  /**
   * The version node holds for key at time t (−1: none). t may lie a little in the past (what a coordinator can have
   * heard of a node's state): the newest version if it had landed by then, else the one before it, whose own landing
   * is not kept (the view may be slightly too new when two versions landed within that time).
   */
  get(node: number, key: number, t: number): number {
    const index = node * this.keys + key;
    if (this.inFlight.size > 0) {
      const list = this.inFlight.get(index);
      if (list !== undefined) return visible(list, t);
    }
    if (this.dense) return this.dense.at[index] <= t ? this.dense.ver[index] : this.dense.prev[index];
    const e = this.sparse![node].get(key);
    return e === undefined ? -1 : e.at <= t ? e.ver : e.prev;
  }

  /** The newest version node will hold (including one still landing). */
  latest(node: number, key: number): number {
    if (this.dense) return this.dense.ver[node * this.keys + key];
    return this.sparse![node].get(key)?.ver ?? -1;
  }

  /**
   * Stores version id (newer than every version stored for the key) on node, landing at `at`; `now` is the
   * present. Without it, the version before is whichever had landed by `at` (two slots, no history).
   */
  set(node: number, key: number, id: number, at: number, now?: number): void {
    if (now === undefined) return this.setTwoSlot(node, key, id, at);
    const index = node * this.keys + key;
    const list = this.inFlight.size > 0 ? this.inFlight.get(index) : undefined;
    if (list !== undefined) {
      list.push({ ver: id, at });
      this.settle(node, key, list, now);
      return;
    }
    if (this.dense) {
      const d = this.dense;
      if (d.at[index] <= now || d.ver[index] < 0) {
        d.prev[index] = d.ver[index];
        d.ver[index] = id;
        d.at[index] = at;
        return;
      }
    }
    const e = this.entry(node, key);
    if (e.at <= now || e.ver < 0) this.put(node, key, id, e.ver, at);
    else this.settle(node, key, [{ ver: e.prev, at: 0 }, { ver: e.ver, at: e.at }, { ver: id, at }], now);
  }

  /**
   * Stores version id, older than a version still in flight on node, landing at `at`: it is what the node holds
   * from `at` until a newer version lands. It is dropped if a newer version lands first (it is never seen).
   * `newer(a, b)` is the shape's version order.
   */
  setOlder(node: number, key: number, id: number, at: number, now: number, newer: (a: number, b: number) => boolean): void {
    const index = node * this.keys + key;
    let list = this.inFlight.size > 0 ? this.inFlight.get(index) : undefined;
    if (list === undefined) {
      const e = this.entry(node, key);
      list = e.at > now ? [{ ver: e.prev, at: 0 }, { ver: e.ver, at: e.at }] : [{ ver: e.ver, at: 0 }];
    }
    let position = list.length;
    while (position > 0 && list[position - 1].ver >= 0 && newer(list[position - 1].ver, id)) position--;
    // A newer version that lands no later than this one hides it for good.
    for (let i = position; i < list.length; i++) if (list[i].at <= at) return;
    const next = [...list.slice(0, position), { ver: id, at }, ...list.slice(position)];
    this.settle(node, key, next, now);
  }

  /** Takes back version id if it is the newest (two-slot use: the version before it becomes the newest again). */
  revert(node: number, key: number, id: number): void {
    const e = this.entry(node, key);
    if (e.ver === id) this.put(node, key, e.prev, e.prev, 0);
  }

  /** Version id of key, on its way to node at `now`, never lands there (its sender crashed with it on the wire). */
  revertUnlandedVersion(node: number, key: number, id: number, now: number): void {
    const index = node * this.keys + key;
    const list = this.inFlight.size > 0 ? this.inFlight.get(index) : undefined;
    if (list !== undefined) {
      this.settle(
        node,
        key,
        list.filter((v) => v.ver !== id || v.at <= now),
        now,
      );
      return;
    }
    const e = this.entry(node, key);
    if (e.ver === id && e.at > now) this.put(node, key, e.prev, -1, 0);
  }

  /** A host crash at `now`: the versions of key on node that had not landed never will. */
  revertUnlanded(node: number, key: number, now: number): void {
    const index = node * this.keys + key;
    const list = this.inFlight.get(index);
    if (list !== undefined) {
      this.settle(
        node,
        key,
        list.filter((v) => v.at <= now),
        now,
      );
      return;
    }
    const e = this.entry(node, key);
    if (e.at > now) this.put(node, key, e.prev, -1, 0);
  }

  private setTwoSlot(node: number, key: number, id: number, at: number): void {
    const e = this.entry(node, key);
    this.put(node, key, id, e.at <= at ? e.ver : e.prev, at);
  }

  get nodeCount(): number {
    return this.nodes;
  }

  /** Drops versions superseded by a landed newer one; back to the two-slot form when at most one is still in flight. */
  private settle(node: number, key: number, list: Version[], now: number): void {
    const index = node * this.keys + key;
    let base = -1;
    for (let i = 0; i < list.length; i++) if (list[i].at <= now) base = i;
    const kept = base > 0 ? list.slice(base) : base < 0 ? [{ ver: -1, at: 0 }, ...list] : list;
    if (kept.length <= 2) {
      this.inFlight.delete(index);
      if (kept.length === 1) this.put(node, key, kept[0].ver, -1, 0);
      else this.put(node, key, kept[1].ver, kept[0].ver, kept[1].at);
      return;
    }
    this.inFlight.set(index, kept);
    // The two-slot form keeps the newest, for latest().
    const last = kept[kept.length - 1];
    this.put(node, key, last.ver, kept[0].ver, last.at);
  }

  private entry(node: number, key: number): { ver: number; prev: number; at: number } {
    if (this.dense) {
      const i = node * this.keys + key;
      return { ver: this.dense.ver[i], prev: this.dense.prev[i], at: this.dense.at[i] };
    }
    return this.sparse![node].get(key) ?? { ver: -1, prev: -1, at: 0 };
  }

  private put(node: number, key: number, ver: number, prev: number, at: number): void {
    if (this.dense) {
      const i = node * this.keys + key;
      this.dense.ver[i] = ver;
      this.dense.prev[i] = prev;
      this.dense.at[i] = at;
      return;
    }
    const map = this.sparse![node];
    const e = map.get(key);
    if (e === undefined) map.set(key, { ver, prev, at });
    else {
      e.ver = ver;
      e.prev = prev;
      e.at = at;
    }
  }
}

/** The last version in the list that has landed by t (−1: none). */
function visible(list: Version[], t: number): number {
  for (let i = list.length - 1; i >= 0; i--) if (list[i].at <= t) return list[i].ver;
  return -1;
}
