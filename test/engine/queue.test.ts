// The event queue against the plainest correct reference: every event ever
// pushed, in a list, and the earliest (time, then push order) taken out by a
// scan. Random interleavings of pushes and pops, with many equal times (events
// at one instant must come out in the order they were scheduled) and pushes
// for a time already past (served now, and recorded for the checker).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { EventQueue } from "../../src/engine/queue.js";

type Op = { push: true; dt: number; kind: number } | { push: false };

const ops = fc.array(
  fc.oneof(
    // Small integer offsets from now make ties common; negative ones are pushes into the past.
    fc.record({ push: fc.constant(true as const), dt: fc.integer({ min: -3, max: 12 }), kind: fc.integer({ min: 0, max: 50 }) }),
    fc.record({ push: fc.constant(false as const) }),
  ),
  { maxLength: 3000 },
);

test("the queue pops in (time, push order), equal to a scan of a plain list, across growth and slot reuse", () => {
  fc.assert(
    fc.property(ops, (list: Op[]) => {
      const queue = new EventQueue();
      const reference: { time: number; seq: number; kind: number; a: number; b: number }[] = [];
      let now = 0;
      let seq = 0;
      const out = { time: 0, kind: 0, a: 0, b: 0 };
      const popBoth = () => {
        const got = queue.pop(out);
        if (reference.length === 0) return assert.equal(got, false);
        let best = 0;
        for (let i = 1; i < reference.length; i++) {
          const r = reference[i];
          const b = reference[best];
          if (r.time < b.time || (r.time === b.time && r.seq < b.seq)) best = i;
        }
        const want = reference.splice(best, 1)[0];
        assert.equal(got, true);
        assert.deepEqual({ ...out }, { time: want.time, kind: want.kind, a: want.a, b: want.b });
        now = want.time;
      };
      for (const op of list) {
        if (op.push) {
          const time = now + op.dt;
          const a = seq * 3 + 0.5;
          const b = -seq;
          queue.push(time, op.kind, a, b);
          reference.push({ time: Math.max(time, now), seq: seq++, kind: op.kind, a, b });
          assert.equal(queue.length, reference.length);
        } else popBoth();
      }
      while (reference.length > 0 || queue.length > 0) popBoth();
      assert.equal(queue.pop(out), false);
      assert.equal(queue.peekTime(), Infinity);
    }),
    { numRuns: 200 },
  );
});

test("a push for a time already past is served now and recorded", () => {
  const queue = new EventQueue();
  const out = { time: 0, kind: 0, a: 0, b: 0 };
  queue.push(10, 1);
  queue.pop(out);
  queue.push(4, 2, 7);
  assert.equal(queue.peekTime(), 10);
  assert.deepEqual(queue.pastSchedules, [{ kind: 2, atMs: 4, nowMs: 10 }]);
  queue.pop(out);
  assert.deepEqual({ ...out }, { time: 10, kind: 2, a: 7, b: 0 });
});

test("ten thousand events pushed at once come out sorted", () => {
  const queue = new EventQueue();
  let x = 12345;
  const times: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const t = x % 1000;
    times.push(t);
    queue.push(t, 0, i);
  }
  const out = { time: 0, kind: 0, a: 0, b: 0 };
  const popped: number[] = [];
  const ids: number[] = [];
  while (queue.pop(out)) {
    popped.push(out.time);
    ids.push(out.a);
  }
  assert.deepEqual(popped, [...times].sort((p, q) => p - q));
  // Equal times keep push order.
  for (let i = 1; i < ids.length; i++) if (popped[i] === popped[i - 1]) assert.ok(ids[i] > ids[i - 1]);
});
