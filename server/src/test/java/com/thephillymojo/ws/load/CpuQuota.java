package com.thephillymojo.ws.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A share of a core for one process, as Fargate gives a task its vCPUs: a CFS quota (0.5 vCPU =
 * 50 ms of CPU in every 100 ms) in a cgroup of its own (v1's cpu controller, which this machine
 * mounts at /sys/fs/cgroup/cpu; root may write it). Removed, with the process moved back, on close.
 */
final class CpuQuota implements AutoCloseable {
    private static final Path ROOT = Path.of("/sys/fs/cgroup/cpu");
    private final Path dir;

    private CpuQuota(Path dir) {
        this.dir = dir;
    }

    /** A cgroup holding what joins it to {@code cpus} of a core. */
    static CpuQuota of(String name, double cpus) throws IOException {
        if (!Files.isWritable(ROOT.resolve("cgroup.procs"))) {
            throw new IllegalStateException("--cpus needs the cgroup v1 cpu controller writable at " + ROOT + " (root)");
        }
        Path dir = ROOT.resolve(name + "-" + ProcessHandle.current().pid());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cpu.cfs_period_us"), "100000");
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), String.valueOf(Math.round(cpus * 100_000)));
        return new CpuQuota(dir);
    }

    /** Moves a process (all its threads) into the cgroup. */
    void add(long pid) throws IOException {
        Files.writeString(dir.resolve("cgroup.procs"), String.valueOf(pid));
    }

    /** How often the quota held the process back so far: {@code [periods throttled, ms throttled]}. */
    long[] throttled() throws IOException {
        long periods = 0;
        long nanos = 0;
        for (String line : Files.readAllLines(dir.resolve("cpu.stat"))) {
            String[] kv = line.split(" ");
            if (kv[0].equals("nr_throttled")) {
                periods = Long.parseLong(kv[1]);
            } else if (kv[0].equals("throttled_time")) {
                nanos = Long.parseLong(kv[1]);
            }
        }
        return new long[] {periods, nanos / 1_000_000};
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
            if (!pid.isBlank()) {
                try {
                    Files.writeString(ROOT.resolve("cgroup.procs"), pid.trim());
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        // a process that just ended leaves its cgroup a moment later: removed once empty, within 10 s
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException busy) {
                if (System.nanoTime() > deadline) {
                    throw busy;
                }
                Thread.sleep(100);
            }
        }
    }
}
