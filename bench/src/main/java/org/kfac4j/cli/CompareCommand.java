package org.kfac4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kfac4j.compare.Comparison;
import org.kfac4j.compare.ComparisonChart;
import org.kfac4j.compare.ComparisonTable;
import org.kfac4j.compare.MarglikTable;
import org.kfac4j.compare.SwaTable;
import org.kfac4j.train.Checkpoint;
import org.kfac4j.train.EvalPoint;
import org.kfac4j.train.Hyperparameters;
import org.kfac4j.train.MetricsFile;
import org.kfac4j.train.OptimizerChoice;
import org.kfac4j.train.Swa;
import org.kfac4j.train.TaskData;
import org.kfac4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kfac4j compare}: several optimisers × seeds on one model and data, to a validation target. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one model with several optimisers and seeds, then print the table the paper reports "
                + "(steps and training time to a validation-accuracy target, relative to the first optimiser) and "
                + "write it with charts (PNG, SVG) to --out.",
                "Runs already finished in --out are reused and unfinished ones resumed, so an interrupted comparison "
                        + "continues where it stopped."})
final class CompareCommand implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--optimizers", split = ",", paramLabel = "LIST", description = "The optimisers, the reference "
            + "first (default: adamw,kfac-expand+adamw,kfac-reduce+adamw; sgd,kfac-expand,kfac-reduce for cnn). "
            + "A K-FAC optimiser may name its inverse: KIND@INVERSE, INVERSE one of eigen, eigen-pi, cholesky, rs-kfac, "
            + "b-kfac, b-r-kfac, b-kfac-c, cg, optionally with a rank (b-kfac:128; default 64).")
    List<String> optimizers;

    @Option(names = "--seeds", paramLabel = "K", description = "Seeds per optimiser, 0..K-1 (default: "
            + "${DEFAULT-VALUE}).")
    int seeds = 1;

    @Option(names = "--target", paramLabel = "ACC", description = "Validation-accuracy target (default: the median "
            + "final accuracy of the reference).")
    Double target;

    @Option(names = "--set", paramLabel = "OPT.NAME=VALUE", description = "Override one optimiser's hyperparameter: "
            + "NAME is lr, momentum, weight-decay, damping, t-cov, t-inv, kl-clip (e.g. --set kfac-reduce.lr=0.1), "
            + "or budget: the fraction of --steps/--epochs this optimiser trains for, its schedule shortened to match "
            + "(the paper's reduced step budgets; e.g. --set kfac-reduce.budget=0.5); repeatable.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "The comparison's folder, one subfolder per run "
            + "(default: a new folder under runs/).")
    Path out;

    @Option(names = "--marglik", description = "Instead of comparing optimisers: one all-in-one K-FAC optimiser "
            + "(kfac-expand or kfac-reduce) with its weight decay selected online by the Laplace marginal likelihood "
            + "(train --marglik), against a grid of fixed weight decays (--weight-decays): final validation accuracy "
            + "and training time of each.")
    boolean marglik;

    @Option(names = "--weight-decays", split = ",", paramLabel = "LIST", description = "The grid of --marglik "
            + "(default: 0,1e-5,1e-4,5e-4,1e-3).")
    List<Double> weightDecays = List.of(0.0, 1e-5, 1e-4, 5e-4, 1e-3);

    /** Per run kind, the last evaluation of each seed, and of its weight average (with --swa-start). */
    private final Map<String, List<EvalPoint>> last = new LinkedHashMap<>();
    private final Map<String, List<EvalPoint>> averaged = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        if (seeds <= 0) {
            throw new IllegalArgumentException("--seeds must be positive, got " + seeds);
        }
        List<OptimizerChoice> kinds = (optimizers != null ? optimizers
                : run.model.equals("cnn") ? List.of("sgd", "kfac-expand", "kfac-reduce")
                : List.of("adamw", "kfac-expand+adamw", "kfac-reduce+adamw")).stream().map(OptimizerChoice::parse)
                .toList();
        if (kinds.stream().distinct().count() != kinds.size()) {
            throw new IllegalArgumentException("--optimizers lists one twice: " + kinds);
        }
        Map<OptimizerChoice, Hyperparameters> hps = hyperparameters(kinds);
        Map<OptimizerChoice, Double> budgets = budgets(kinds);
        TaskData task = run.task();
        Path dir = out != null ? out : Path.of("runs", "compare-" + run.model + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        if (marglik) {
            return marglikAgainstGrid(kinds, hps, task, dir);
        }
        Comparison comparison = new Comparison();
        Map<OptimizerChoice, Long> stepsOf = new LinkedHashMap<>();
        for (OptimizerChoice kind : kinds) {
            Hyperparameters h = hps.get(kind);
            long steps = Math.max(1, Math.round(budgets.get(kind)
                    * run.steps(task, h.batchSize(), defaultSteps(run.model))));
            stepsOf.put(kind, steps);
            for (int seed = 0; seed < seeds; seed++) {
                Path runDir = dir.resolve(kind.cliName() + "-seed" + seed);
                comparison.add(kind, runOrReuse(kind.toString(), kind, h, steps, seed, runDir, task, 0));
            }
        }
        double t = target != null ? target : comparison.defaultTarget();
        String table = ComparisonTable.markdown(comparison, t) + swaTable();
        String title = String.format(Locale.ROOT, "%s on %s, %d seed%s", run.model, task.name(), seeds,
                seeds > 1 ? "s" : "");
        List<Path> charts = ComparisonChart.write(comparison, t, title, dir);
        Files.writeString(dir.resolve("table.md"), "# " + title + "\n\n" + table + "\n"
                + hyperparameterTable(hps, stepsOf), StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(table);
        System.out.println("table: " + dir.resolve("table.md") + "; charts: " + charts.get(0) + ", " + charts.get(1)
                + " (and .svg)");
        return 0;
    }

    /** Default budgets that finish in a few minutes on 2 cores (vit: ~2 min per run on an AVX2 EPYC core pair). */
    private static long defaultSteps(String model) {
        return switch (model) {
            case "cnn" -> 60;
            case "vit" -> 200;
            default -> 300;
        };
    }

    /** {@code --marglik}: the selected weight decay against a grid of fixed ones, per seed. */
    private int marglikAgainstGrid(List<OptimizerChoice> kinds, Map<OptimizerChoice, Hyperparameters> hps,
                                   TaskData task, Path dir) throws IOException {
        OptimizerChoice kind = kinds.get(0);
        if (kinds.size() != 1 || !kind.kind().isKfac() || kind.kind().hasBase()) {
            throw new IllegalArgumentException("--marglik compares one all-in-one K-FAC optimiser (kfac-expand or "
                    + "kfac-reduce) with a weight-decay grid; got --optimizers " + kinds);
        }
        if (run.model.equals("gcn")) {
            throw new IllegalArgumentException("--marglik supports the image models (mlp, cnn, vit)");
        }
        Hyperparameters h = hps.get(kind);
        long steps = run.steps(task, h.batchSize(), defaultSteps(run.model));
        Map<String, List<EvalPoint>> finals = new LinkedHashMap<>();
        for (int seed = 0; seed < seeds; seed++) {
            for (double wd : weightDecays) {
                String label = "weight decay " + wd;
                List<EvalPoint> points = runOrReuse(label, kind, h.withWeightDecay(wd), steps, seed,
                        dir.resolve(kind.cliName() + "-wd" + wd + "-seed" + seed), task, 0);
                finals.computeIfAbsent(label, k -> new ArrayList<>()).add(points.get(points.size() - 1));
            }
            List<EvalPoint> points = runOrReuse("marglik", kind, h, steps, seed, dir.resolve(kind.cliName()
                    + "-marglik-seed" + seed), task, 1);
            finals.computeIfAbsent("marglik", k -> new ArrayList<>()).add(points.get(points.size() - 1));
        }
        String table = MarglikTable.markdown(finals) + swaTable();
        Files.writeString(dir.resolve("table.md"), "# " + run.model + " on " + task.name() + ", " + kind + ", "
                + seeds + " seed(s): weight decay selected by the marginal likelihood against a grid\n\n" + table,
                StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(table);
        System.out.println("table: " + dir.resolve("table.md"));
        return 0;
    }

    /**
     * A run, or the metrics of the finished run in {@code runDir}; {@code marglikEvery} as {@link Trainer.Config}'s.
     * Its last evaluation, and its weight average's, are kept under {@code label} for the weight-averaging table.
     */
    private List<EvalPoint> runOrReuse(String label, OptimizerChoice kind, Hyperparameters h, long steps, int seed,
                                       Path runDir, TaskData task, int marglikEvery) throws IOException {
        Optional<Checkpoint> existing = Checkpoint.read(runDir);
        Swa swa = run.swa(task, h.batchSize());
        List<EvalPoint> points;
        if (existing.isPresent() && existing.get().step() == steps && existing.get().totalSteps() == steps
                && swa.describe().equals(existing.get().swaSettings())) {
            System.out.println(kind + " seed " + seed + ": finished in " + runDir + ", reusing its metrics");
            points = MetricsFile.read(runDir.resolve("metrics.csv"));
        } else {
            Trainer.Config config = new Trainer.Config(run.model, kind, h, steps, seed, run.threads, run.evalEvery,
                    200, runDir, existing.isPresent(), marglikEvery, 10, swa);
            try (ProgressDisplay progress = new ProgressDisplay(kind.cliName() + " seed " + seed, System.out)) {
                points = Trainer.run(config, task, progress);
            }
        }
        last.computeIfAbsent(label, k -> new ArrayList<>()).add(points.get(points.size() - 1));
        if (swa.on()) {
            List<EvalPoint> average = MetricsFile.read(runDir.resolve(Trainer.SWA_METRICS));
            averaged.computeIfAbsent(label, k -> new ArrayList<>()).add(average.get(average.size() - 1));
        }
        return points;
    }

    /** The weight-averaging table after a blank line, or nothing without --swa-start. */
    private String swaTable() {
        return averaged.isEmpty() ? "" : System.lineSeparator() + SwaTable.markdown(last, averaged);
    }

    /** Each optimiser's fraction of the step budget: 1 unless {@code --set OPT.budget=F} shortens it. */
    private Map<OptimizerChoice, Double> budgets(List<OptimizerChoice> kinds) {
        Map<OptimizerChoice, Double> budgets = new LinkedHashMap<>();
        kinds.forEach(k -> budgets.put(k, 1.0));
        for (String o : overrides) {
            Setting s = Setting.parse(o, kinds);
            if (s.name().equals("budget")) {
                if (!(s.value() > 0 && s.value() <= 1)) {
                    throw new IllegalArgumentException("--set " + o + ": a budget is a fraction in (0, 1]");
                }
                if (marglik) {
                    throw new IllegalArgumentException("--set " + o + ": --marglik compares at one budget");
                }
                budgets.put(s.kind(), s.value());
            }
        }
        return budgets;
    }

    /** One {@code --set OPT.NAME=VALUE}, checked against the optimisers compared. */
    private record Setting(OptimizerChoice kind, String name, double value) {
        static Setting parse(String o, List<OptimizerChoice> kinds) {
            int dot = o.indexOf('.');
            int eq = o.indexOf('=');
            if (dot < 0 || eq < dot) {
                throw new IllegalArgumentException("--set " + o + ": expected OPT.NAME=VALUE, e.g. kfac-reduce.lr=0.1");
            }
            OptimizerChoice k = OptimizerChoice.parse(o.substring(0, dot));
            if (!kinds.contains(k)) {
                throw new IllegalArgumentException("--set " + o + ": " + k + " is not among --optimizers " + kinds);
            }
            String value = o.substring(eq + 1);
            try {
                return new Setting(k, o.substring(dot + 1, eq), Double.parseDouble(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--set " + o + ": '" + value + "' is not a number");
            }
        }
    }

    private Map<OptimizerChoice, Hyperparameters> hyperparameters(List<OptimizerChoice> kinds) {
        Map<OptimizerChoice, Hyperparameters> hps = new LinkedHashMap<>();
        for (OptimizerChoice k : kinds) {
            hps.put(k, Hyperparameters.defaults(run.model, k.kind()));
        }
        for (String o : overrides) {
            Setting s = Setting.parse(o, kinds);
            if (!s.name().equals("budget")) {
                hps.put(s.kind(), set(hps.get(s.kind()), s.name(), s.value()));
            }
        }
        return hps;
    }

    private static Hyperparameters set(Hyperparameters h, String name, double v) {
        return switch (name) {
            case "lr" -> h.withLearningRate(v);
            case "momentum" -> h.withMomentum(v);
            case "weight-decay" -> h.withWeightDecay(v);
            case "damping" -> h.withKfac(v, h.factorInterval(), h.inverseInterval(), h.klClip(), h.factorDecay());
            case "t-cov" -> h.withKfac(h.damping(), (int) v, h.inverseInterval(), h.klClip(), h.factorDecay());
            case "t-inv" -> h.withKfac(h.damping(), h.factorInterval(), (int) v, h.klClip(), h.factorDecay());
            case "kl-clip" -> h.withKfac(h.damping(), h.factorInterval(), h.inverseInterval(), v, h.factorDecay());
            default -> throw new IllegalArgumentException("--set: unknown hyperparameter '" + name + "' (lr, momentum, "
                    + "weight-decay, damping, t-cov, t-inv, kl-clip, budget)");
        };
    }

    private static String hyperparameterTable(Map<OptimizerChoice, Hyperparameters> hps,
                                              Map<OptimizerChoice, Long> steps) {
        StringBuilder sb = new StringBuilder("| optimizer | steps | hyperparameters |\n|---|---|---|\n");
        hps.forEach((k, h) -> sb.append("| ").append(k).append(" | ").append(steps.get(k)).append(" | ")
                .append(k.describe(h)).append(" |\n"));
        return sb.toString();
    }
}
