// Process handling: /proc parsing, running as the postgres user through
// setpriv, and signals sent only to the process the command line names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { asUser, isAlive, parseCmdline, parseStat, readCmdline, signalChecked, waitGone } from "../../src/live/procs.js";
import { checkPrerequisites, INSTALL_PACKAGES, installCommand, parseVersion, PrerequisiteError, type Probe } from "../../src/live/prereqs.js";
import { UsageError } from "../../src/model/diagnostics.js";

test("/proc/PID/stat: a command name with spaces and parentheses does not shift the fields", () => {
  assert.deepEqual(parseStat("1234 (postgres: a (b) c) S 77 1234 1234 0 -1"), { pid: 1234, comm: "postgres: a (b) c", state: "S", ppid: 77 });
  assert.deepEqual(parseStat("9 (etcd) Z 1 9 9"), { pid: 9, comm: "etcd", state: "Z", ppid: 1 });
  assert.equal(parseStat("garbage"), null);
  assert.deepEqual(parseCmdline("/usr/bin/python3\0/usr/bin/patroni\0/tmp/x/patroni.yml\0"), ["/usr/bin/python3", "/usr/bin/patroni", "/tmp/x/patroni.yml"]);
});

test("as root, commands run as postgres through setpriv, which execs in place (the PID stays the command's)", () => {
  assert.deepEqual(asUser({ user: null, uid: null, gid: null }, "patroni", ["a.yml"]), ["patroni", ["a.yml"]]);
  assert.deepEqual(asUser({ user: "postgres", uid: 101, gid: 104 }, "patroni", ["a.yml"]), ["setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "patroni", "a.yml"]]);
});

test("a signal goes only to the process whose command line passes the check", async () => {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  const pid = child.pid!;
  try {
    assert.match(readCmdline(pid) ?? "", /sleep 30/);
    assert.equal(
      signalChecked(pid, "SIGKILL", (cmd) => cmd.includes("patroni")),
      false,
      "not ours: left alone",
    );
    assert.ok(isAlive(pid));
    assert.equal(
      signalChecked(pid, "SIGKILL", (cmd) => cmd.includes("sleep 30")),
      true,
    );
    await new Promise((resolve) => child.once("exit", resolve));
    assert.deepEqual(await waitGone([pid], 2000), []);
    assert.equal(
      signalChecked(pid, "SIGKILL", () => true),
      false,
      "a PID that is gone is not signalled",
    );
  } finally {
    child.kill("SIGKILL");
  }
});

function probe(overrides: Partial<Probe>): Probe {
  return { executable: () => true, which: (n) => `/usr/bin/${n}`, user: () => ({ uid: 101, gid: 104 }), isRoot: true, ...overrides };
}

test("prerequisites: all present gives the tools; as root they run as the postgres user", () => {
  const result = checkPrerequisites(probe({}));
  assert.deepEqual(result.missing, []);
  assert.deepEqual(result.tools, { binDir: "/usr/lib/postgresql/15/bin", etcd: "/usr/bin/etcd", patroni: "/usr/bin/patroni", runAs: { user: "postgres", uid: 101, gid: 104 } });
  assert.deepEqual(checkPrerequisites(probe({ isRoot: false })).tools?.runAs, { user: null, uid: null, gid: null });
});

test("prerequisites: everything missing is named in one message with the install command (a usage error: exit 2)", () => {
  const result = checkPrerequisites(probe({ executable: () => false, which: () => null, user: () => null }));
  assert.equal(result.tools, null);
  assert.equal(result.missing.length, 5);
  assert.match(result.missing[0], /PostgreSQL 15 server binaries in \/usr\/lib\/postgresql\/15\/bin \(missing: postgres, initdb, pg_ctl, pg_basebackup, pg_rewind/);
  assert.match(result.missing.join(" "), /etcd \(not on PATH; package etcd-server\).*patroni.*postgres OS user.*setpriv/);
  const error = new PrerequisiteError(result.missing, installCommand(true));
  assert.ok(error instanceof UsageError);
  assert.ok(error.message.endsWith(`Install them with: ${INSTALL_PACKAGES}`));
  assert.match(installCommand(false), /^sudo sh -c 'apt-get update && apt-get install -y postgresql etcd-server patroni'$/);
  assert.deepEqual(checkPrerequisites(probe({ isRoot: false, user: () => null })).missing, [], "without root no postgres user is needed");
});

test("versions are read from the programs' own words", () => {
  assert.deepEqual(parseVersion("patroni 3.0.2"), [3, 0, 2]);
  assert.deepEqual(parseVersion("patroni 4.1"), [4, 1, 0]);
  assert.equal(parseVersion("no digits"), null);
});
