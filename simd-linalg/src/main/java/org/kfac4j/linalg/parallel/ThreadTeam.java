package org.kfac4j.linalg.parallel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads: the caller plus {@code size − 1} daemon workers. {@link #run} hands out parts
 * 1..n−1 to workers and runs part 0 on the caller, so a one-thread team never switches threads. A call made
 * from one of the team's own workers runs all parts inline instead of queueing behind itself.
 */
public final class ThreadTeam implements AutoCloseable {
    private static final AtomicInteger TEAMS = new AtomicInteger();

    private final int size;
    private final ExecutorService workers;

    public ThreadTeam(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + size);
        }
        this.size = size;
        if (size == 1) {
            this.workers = null;
        } else {
            int team = TEAMS.incrementAndGet();
            AtomicInteger count = new AtomicInteger();
            this.workers = Executors.newFixedThreadPool(size - 1, runnable -> {
                Thread t = new Worker(this, runnable, "kfac4j-linalg-" + team + "-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** Threads this team computes with, the caller included. */
    public int size() {
        return size;
    }

    /** Runs {@code body.accept(part)} for every part in [0, parts) and returns when all are done. */
    public void run(int parts, IntConsumer body) {
        if (parts <= 1 || workers == null
                || (Thread.currentThread() instanceof Worker w && w.team == this)) {
            for (int part = 0; part < parts; part++) {
                body.accept(part);
            }
            return;
        }
        if (parts > size) {
            throw new IllegalArgumentException("parts (" + parts + ") exceed the team size (" + size + ")");
        }
        Future<?>[] pending = new Future<?>[parts - 1];
        for (int part = 1; part < parts; part++) {
            int p = part;
            pending[part - 1] = workers.submit(() -> body.accept(p));
        }
        Throwable failure = null;
        try {
            body.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = addFailure(failure, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = addFailure(failure, e);
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        } else if (failure != null) {
            throw new IllegalStateException("a worker of the linear-algebra thread team failed", failure);
        }
    }

    private static Throwable addFailure(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdown();
        }
    }

    private static final class Worker extends Thread {
        private final ThreadTeam team;

        Worker(ThreadTeam team, Runnable runnable, String name) {
            super(runnable, name);
            this.team = team;
        }
    }
}
