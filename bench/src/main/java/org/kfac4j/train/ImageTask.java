package org.kfac4j.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.kfac4j.nn.data.Batch;
import org.kfac4j.nn.data.Batches;
import org.kfac4j.nn.data.Dataset;

/** Image classification from two nn {@link Dataset}s (N × 28 × 28 × 1). */
final class ImageTask implements TaskData {
    private final String name;
    private final Dataset train;
    private final Dataset validation;

    ImageTask(String name, Dataset train, Dataset validation) {
        if (train.classes() != validation.classes()) {
            throw new IllegalArgumentException(name + ": " + train.classes() + " training classes but "
                    + validation.classes() + " validation classes");
        }
        this.name = name;
        this.train = train;
        this.validation = validation;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int classes() {
        return train.classes();
    }

    @Override
    public boolean graphs() {
        return false;
    }

    @Override
    public int trainSize() {
        return train.size();
    }

    @Override
    public int validationSize() {
        return validation.size();
    }

    @Override
    public Iterator<StepBatch> epoch(int epoch, int batchSize, long seed) {
        Iterator<Batch> batches = new Batches(train, batchSize, seed, true).epoch(epoch);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public StepBatch next() {
                Batch b = batches.next();
                return new StepBatch(b.inputs(), b.labels(), null);
            }
        };
    }

    @Override
    public List<StepBatch> validation(int batchSize) {
        List<StepBatch> out = new ArrayList<>();
        for (int from = 0; from < validation.size(); from += batchSize) {
            Dataset part = validation.slice(from, Math.min(validation.size(), from + batchSize));
            out.add(new StepBatch(part.inputs(), part.labels(), null));
        }
        return out;
    }
}
