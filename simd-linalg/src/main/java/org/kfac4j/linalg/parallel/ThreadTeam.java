package org.kfac4j.linalg.parallel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads: the caller plus {@code size − 1} daemon workers. {@link #run} hands parts 1..n−1 to
 * workers and runs part 0 on the caller, so a one-thread team never switches threads.
 *
 * <p>Hand-off is built for many short parallel regions (a symmetric matrix-vector product per column of a
 * tridiagonalisation lasts tens of microseconds): a worker that finishes a part spins for up to
 * {@value #SPIN_NANOS} ns waiting for the next before it parks, and the caller spins as long for the workers
 * before it parks. Waking a parked thread costs 5-20 µs; a spinning one answers within a few hundred ns.
 *
 * <p>A call made from inside a running part (on a worker or on the caller) runs all its parts inline: the
 * other threads are busy with their own parts. A call made while another thread's call holds the team also
 * runs inline, on its own thread. Either way the parts compute the same thing, only on fewer threads.
 */
public final class ThreadTeam implements AutoCloseable {
    /** Spin before parking: longer than the gap between two short parallel regions, short enough to idle cheaply. */
    private static final long SPIN_NANOS = 100_000;
    private static final AtomicInteger TEAMS = new AtomicInteger();

    private final int size;
    private final Worker[] workers;
    /** Held by the caller whose call the workers are running. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Set while this thread runs a part of one of this team's calls. */
    private final ThreadLocal<Boolean> insidePart = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private volatile boolean closed;

    public ThreadTeam(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + size);
        }
        this.size = size;
        this.workers = new Worker[size - 1];
        int team = TEAMS.incrementAndGet();
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker("kfac4j-linalg-" + team + "-" + (w + 1));
            workers[w].start();
        }
    }

    /** Threads this team computes with, the caller included. */
    public int size() {
        return size;
    }

    /** Whether a call to {@link #run} from this thread may run its parts on more than this thread. */
    public boolean parallel() {
        return workers.length > 0 && !closed && !insidePart.get();
    }

    /** Runs {@code body.accept(part)} for every part in [0, parts) and returns when all are done. */
    public void run(int parts, IntConsumer body) {
        if (parts <= 1 || !parallel() || !busy.compareAndSet(false, true)) {
            for (int part = 0; part < parts; part++) {
                body.accept(part);
            }
            return;
        }
        try {
            if (parts > size) {
                throw new IllegalArgumentException("parts (" + parts + ") exceed the team size (" + size + ")");
            }
            Job job = new Job(body, parts - 1, Thread.currentThread());
            for (int part = 1; part < parts; part++) {
                workers[part - 1].assign(job, part);
            }
            try {
                runPart(body, 0);
            } catch (RuntimeException | Error e) {
                job.fail(e);
            }
            job.awaitWorkers();
            Throwable failure = job.failure;
            if (failure instanceof RuntimeException re) {
                throw re;
            } else if (failure instanceof Error err) {
                throw err;
            }
        } finally {
            busy.set(false);
        }
    }

    /**
     * Runs {@code task.accept(i)} for every task i in [0, tasks), handed out one at a time to the team's threads
     * as they become free. Which thread runs a task varies from call to call, so a task must not depend on it.
     */
    public void forEachTask(int tasks, IntConsumer task) {
        if (tasks <= 1 || !parallel()) {
            for (int i = 0; i < tasks; i++) {
                task.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        run(Math.min(size, tasks), part -> {
            for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                task.accept(i);
            }
        });
    }

    /**
     * Runs {@code body.run(from, to)} over [0, count) cut into ranges of {@code chunk} (the last one shorter), as
     * {@link #forEachTask} tasks. The cut depends on {@code chunk} only, never on the team's size, so work whose
     * rounding depends on the ranges computes the same bits on any number of threads.
     */
    public void forEachRange(int count, int chunk, RangeBody body) {
        int ranges = (count + chunk - 1) / chunk;
        forEachTask(ranges, r -> body.run(r * chunk, Math.min(count, (r + 1) * chunk)));
    }

    /** The body of {@link #forEachRange}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private void runPart(IntConsumer body, int part) {
        insidePart.set(Boolean.TRUE);
        try {
            body.accept(part);
        } finally {
            insidePart.set(Boolean.FALSE);
        }
    }

    /** Stops the workers; later calls run inline on the caller. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** One call's parts on the workers: how many are still running, and the first failure. */
    private static final class Job {
        final IntConsumer body;
        final AtomicInteger running;
        final Thread caller;
        volatile Throwable failure;

        Job(IntConsumer body, int workerParts, Thread caller) {
            this.body = body;
            this.running = new AtomicInteger(workerParts);
            this.caller = caller;
        }

        synchronized void fail(Throwable t) {
            if (failure == null) {
                failure = t;
            } else if (failure != t) {
                failure.addSuppressed(t);
            }
        }

        void partDone() {
            if (running.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }

        void awaitWorkers() {
            long start = System.nanoTime();
            while (running.get() > 0) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }

    private final class Worker extends Thread {
        private volatile Job job;
        private int part;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        /** Called by the caller that holds the team; {@code part} is published by the volatile write of job. */
        void assign(Job j, int p) {
            part = p;
            job = j;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (!closed) {
                Job j = awaitJob();
                if (j == null) {
                    continue;
                }
                job = null;
                try {
                    runPart(j.body, part);
                } catch (RuntimeException | Error e) {
                    j.fail(e);
                } finally {
                    j.partDone();
                }
            }
        }

        private Job awaitJob() {
            long start = System.nanoTime();
            Job j;
            while ((j = job) == null && !closed) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            return j;
        }
    }
}
