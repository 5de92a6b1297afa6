package org.kfac4j.nn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kfac4j.nn.io.CorruptFileException;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * MNIST-format image sets (Fashion-MNIST, MNIST) from their four IDX files, gzipped or not, as
 * {@code N × 28 × 28 × 1} images scaled to [0, 1] with labels 0–9.
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnist() {
    }

    /** The training split (60 000 images). */
    public static Dataset train(Path directory, DType dtype) throws IOException {
        return load(directory, "train", dtype);
    }

    /** The test split (10 000 images). */
    public static Dataset test(Path directory, DType dtype) throws IOException {
        return load(directory, "t10k", dtype);
    }

    private static Dataset load(Path directory, String split, DType dtype) throws IOException {
        Path imagesFile = find(directory, split + "-images-idx3-ubyte");
        Path labelsFile = find(directory, split + "-labels-idx1-ubyte");
        IdxFile images = IdxFile.read(imagesFile);
        IdxFile labels = IdxFile.read(labelsFile);
        if (images.dims().length != 3) {
            throw new CorruptFileException(imagesFile, 3, "images must have 3 dimensions, the header has "
                    + images.dims().length);
        }
        if (labels.dims().length != 1 || labels.dims()[0] != images.dims()[0]) {
            throw new CorruptFileException(labelsFile, 4, labels.dims()[0] + " labels for " + images.dims()[0]
                    + " images in " + imagesFile.getFileName());
        }
        int n = images.dims()[0];
        int h = images.dims()[1];
        int w = images.dims()[2];
        Tensor x = Tensor.zeros(dtype, n, h, w, 1);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, images.get(i) / 255.0);
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels.get(i);
            if (y[i] > 9) {
                throw new CorruptFileException(labelsFile, 8 + i, "label " + y[i] + " is not a class 0-9");
            }
        }
        return new Dataset(directory.getFileName() + "/" + split, x, y, 10);
    }

    private static Path find(Path directory, String base) throws DatasetNotFoundException {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = directory.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DatasetNotFoundException("no " + base + "(.gz) in " + directory + ". Fashion-MNIST is the Debian "
                + "package dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist puts it in "
                + DEFAULT_DIRECTORY + "); any folder holding the four IDX files of MNIST or Fashion-MNIST works too. "
                + "With no dataset, use the synthetic task.");
    }
}
