package org.kfac4j.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.kfac4j.nn.data.Batches;
import org.kfac4j.nn.graph.Graph;
import org.kfac4j.nn.graph.GraphBatch;

/** Graph classification: each batch is its graphs stacked into one block-diagonal {@link GraphBatch}. */
final class GraphTask implements TaskData {
    private final String name;
    private final List<Graph> train;
    private final List<Graph> validation;
    private final int classes;

    GraphTask(String name, List<Graph> train, List<Graph> validation, int classes) {
        this.name = name;
        this.train = List.copyOf(train);
        this.validation = List.copyOf(validation);
        this.classes = classes;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public boolean graphs() {
        return true;
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
        int[] order = Batches.shuffledOrder(train.size(), seed, epoch);
        int count = batchesPerEpoch(batchSize);
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public StepBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Graph> graphs = new ArrayList<>(batchSize);
                for (int i = next * batchSize; i < (next + 1) * batchSize; i++) {
                    graphs.add(train.get(order[i]));
                }
                next++;
                return batch(graphs);
            }
        };
    }

    @Override
    public List<StepBatch> validation(int batchSize) {
        List<StepBatch> out = new ArrayList<>();
        for (int from = 0; from < validation.size(); from += batchSize) {
            out.add(batch(validation.subList(from, Math.min(validation.size(), from + batchSize))));
        }
        return out;
    }

    private static StepBatch batch(List<Graph> graphs) {
        GraphBatch g = GraphBatch.of(graphs);
        int[] labels = graphs.stream().mapToInt(Graph::label).toArray();
        return new StepBatch(g.features(), labels, g);
    }
}
