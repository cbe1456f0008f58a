// The second half of the swarm in `npm test` (the two halves run side by side).
import { test } from "node:test";
import { assertSwarmClean, SWARM_SCHEDULES } from "./swarm-run.js";

test(`swarm: ${SWARM_SCHEDULES / 2} generated schedules (seeds ${SWARM_SCHEDULES / 2 + 1}..${SWARM_SCHEDULES}), no oracle violation`, () => {
  assertSwarmClean(SWARM_SCHEDULES / 2 + 1, SWARM_SCHEDULES / 2);
});
