// The first half of the swarm in `npm test` (the two halves run side by side).
import { test } from "node:test";
import { assertSwarmClean, SWARM_SCHEDULES } from "./swarm-run.js";

test(`swarm: ${SWARM_SCHEDULES / 2} generated schedules (seeds 1..${SWARM_SCHEDULES / 2}), no oracle violation`, () => {
  assertSwarmClean(1, SWARM_SCHEDULES / 2);
});
