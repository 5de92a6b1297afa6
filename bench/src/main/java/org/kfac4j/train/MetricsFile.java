package org.kfac4j.train;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** A run's {@code metrics.csv}: one {@link EvalPoint} per row, appended and flushed as the run goes. */
public final class MetricsFile implements AutoCloseable {
    static final String[] HEADER = {"step", "epoch", "train_seconds", "train_loss", "train_accuracy", "val_loss",
            "val_accuracy", "prior_precision", "weight_decay"};
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader(HEADER).setSkipHeaderRecord(true)
            .get();

    private final CSVPrinter printer;

    private MetricsFile(CSVPrinter printer) {
        this.printer = printer;
    }

    /**
     * Opens {@code file} for appending: a new file gets the header; on a resume, rows after {@code keepUpTo} (written
     * after the checkpoint the run resumes from) are dropped first.
     */
    static MetricsFile open(Path file, long keepUpTo) throws IOException {
        List<EvalPoint> kept = Files.exists(file) ? read(file).stream().filter(p -> p.step() <= keepUpTo).toList()
                : List.of();
        Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        MetricsFile m = new MetricsFile(new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(HEADER).get()));
        for (EvalPoint p : kept) {
            m.append(p);
        }
        return m;
    }

    void append(EvalPoint p) throws IOException {
        printer.printRecord(p.step(), p.epoch(), p.trainSeconds(), p.trainLoss(), p.trainAccuracy(), p.valLoss(),
                p.valAccuracy(), p.priorPrecision(), p.weightDecay());
        printer.flush();
    }

    /** The rows of a metrics file (an error naming the file and line on a malformed one). */
    public static List<EvalPoint> read(Path file) throws IOException {
        List<EvalPoint> points = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (CSVRecord rec : FORMAT.parse(r)) {
                try {
                    points.add(new EvalPoint(Long.parseLong(rec.get("step")), Double.parseDouble(rec.get("epoch")),
                            Double.parseDouble(rec.get("train_seconds")), Double.parseDouble(rec.get("train_loss")),
                            Double.parseDouble(rec.get("train_accuracy")), Double.parseDouble(rec.get("val_loss")),
                            Double.parseDouble(rec.get("val_accuracy")), optional(rec, "prior_precision"),
                            optional(rec, "weight_decay")));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " line " + rec.getRecordNumber() + ": " + e.getMessage(), e);
                }
            }
        }
        return points;
    }

    /** A column files written before it existed lack: NaN there. */
    private static double optional(CSVRecord rec, String column) {
        return rec.isMapped(column) && rec.isSet(column) ? Double.parseDouble(rec.get(column)) : Double.NaN;
    }

    @Override
    public void close() throws IOException {
        printer.close();
    }
}
