'use strict';
// Process and folder helpers the private daemons and registries share: who is
// alive, who uses a folder, removing a folder nobody uses, and the small
// start/stop command line each of them offers.
const fs = require('fs');

/** The last lines of a log file, for error messages. */
function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** True when pid runs and is not a zombie. */
function isAlive(pid) {
  if (!pid) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** A process's argv ([] once it is gone). */
function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** pid -> parent pid of every process. */
function processTable() {
  const table = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), Number(fields[1]));
    } catch { /* exited meanwhile */ }
  }
  return table;
}

/** Live processes (other than this one) with dir or a path below it in their argv. */
function processesUsing(dir) {
  const users = [];
  for (const [pid] of processTable()) {
    if (pid === process.pid || !isAlive(pid)) continue;
    if (cmdline(pid).some((a) => a === dir || a.startsWith(`${dir}/`))) users.push(pid);
  }
  return users;
}

/** Remove dir unless a live process still uses it; what went wrong goes to problems. */
function removeDir(dir, problems) {
  const users = processesUsing(dir);
  if (users.length) {
    problems.push(`left ${dir} in place: processes ${users.join(', ')} still use it`);
    return;
  }
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    problems.push(`remove ${dir}: ${err.message}`);
  }
}

/** A handle without its functions and child process: what the command line prints and tests read. */
function describe(handle) {
  const { child, stop, ...plain } = handle;
  return plain;
}

/**
 * The command line of a service module: `start ...` starts it in the
 * background and prints its handle as JSON, `stop DIR` stops the one in DIR.
 * start(args) returns the handle, or undefined for bad arguments.
 */
function serviceCli(name, { start, stop, usage }) {
  const main = async ([cmd, ...args]) => {
    if (cmd === 'start') {
      const handle = await start(args);
      if (handle) {
        handle.child.unref();
        process.stdout.write(`${JSON.stringify(describe(handle), null, 2)}\n`);
        return 0;
      }
    }
    if (cmd === 'stop' && args[0]) {
      for (const p of await stop(args[0])) process.stderr.write(`${name}: ${p}\n`);
      return 0;
    }
    process.stderr.write(`usage: ${usage}\n`);
    return 2;
  };
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`${name}: ${err.message}\n`); process.exitCode = 1; },
  );
}

module.exports = { tail, isAlive, cmdline, processTable, processesUsing, removeDir, describe, serviceCli };
