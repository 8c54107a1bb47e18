/**
 * What a test process must undo however it ends: daemons and children it started. The tasks
 * run synchronously on exit, also when the process is stopped by SIGINT or SIGTERM (a
 * cancelled CI job, Ctrl-C), which would otherwise skip 'exit' and leave OVS, influxd or
 * tshark running.
 */
const tasks = new Set<() => void>();

function runAll(): void {
  for (const t of [...tasks]) {
    try {
      t();
    } catch {
      // the next one must still run
    }
  }
  tasks.clear();
}

process.on('exit', runAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    runAll();
    process.kill(process.pid, sig); // the default action now: end as that signal would have
  });
}

/** Runs `task` when the process ends; the returned function unregisters it (work already undone). */
export function atExit(task: () => void): () => void {
  tasks.add(task);
  return () => tasks.delete(task);
}
