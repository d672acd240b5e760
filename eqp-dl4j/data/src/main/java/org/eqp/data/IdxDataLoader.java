package org.eqp.data;

import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads an IDX image/label pair straight into a DL4J {@link DataSet}: features float [N, rows*cols] = pixel/255,
 * labels one-hot float [N, numClasses]. The fast path for whole datasets (MNIST's 60,000 images in about a second);
 * {@link IdxRecordReader} gives the same arrays through DataVec.
 */
public final class IdxDataLoader {
    private IdxDataLoader() {
    }

    /**
     * @param limit at most this many examples (the first ones); negative for all
     * @throws IOException if the files are malformed, or image and label counts differ
     */
    public static DataSet load(Path images, Path labels, int numClasses, int limit) throws IOException {
        IdxFile.Images img = IdxFile.readImages(images, limit);
        int[] lab = IdxFile.readLabels(labels, limit);
        if (img.count() != lab.length) {
            throw new IOException(images + " holds " + img.count() + " images but " + labels + " holds " + lab.length
                    + " labels");
        }
        int n = img.count();
        int width = img.pixelsPerImage();
        float[] features = new float[n * width];
        byte[] pixels = img.pixels();
        for (int i = 0; i < features.length; i++) {
            features[i] = (pixels[i] & 0xff) / 255f;
        }
        return new DataSet(Nd4j.create(features, new long[] {n, width}, 'c'),
                Nd4j.create(oneHot(lab, numClasses, labels.toString()), new long[] {n, numClasses}, 'c'));
    }

    static float[] oneHot(int[] labels, int numClasses, String source) {
        float[] out = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(source + ": label " + labels[i] + " of example " + i
                        + " is outside 0.." + (numClasses - 1));
            }
            out[i * numClasses + labels[i]] = 1f;
        }
        return out;
    }
}
