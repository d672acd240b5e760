package org.eqp.arbiter;

import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;

/**
 * The Arbiter data source of an EP search: loads a dataset through the project's DataVec-backed readers and carves the
 * validation split out of its training part (seeded), so the test set is never seen by the search. Arbiter builds it
 * by its public no-arg constructor and {@link #configure}s it from the properties of {@link #properties}.
 */
public class EpDataSource implements DataSource {
    static final String DATASET = "dataset";
    static final String DATA_DIR = "dataDir";
    static final String CACHE_DIR = "cacheDir";
    static final String TRAIN_EXAMPLES = "trainExamples";
    static final String VALIDATION_FRACTION = "validationFraction";
    static final String SEED = "seed";

    private LoadedDataset split;

    /** For Arbiter. */
    public EpDataSource() {
    }

    /**
     * The properties describing a search's data.
     *
     * @param dataDir  a directory searched first, or null
     * @param cacheDir the dataset cache, or null for the default
     */
    public static Properties properties(SearchConfig config, Path dataDir, Path cacheDir) {
        Properties p = new Properties();
        p.setProperty(DATASET, config.dataset());
        if (dataDir != null) {
            p.setProperty(DATA_DIR, dataDir.toString());
        }
        if (cacheDir != null) {
            p.setProperty(CACHE_DIR, cacheDir.toString());
        }
        p.setProperty(TRAIN_EXAMPLES, Integer.toString(config.trainExamples()));
        p.setProperty(VALIDATION_FRACTION, Double.toString(config.validationFraction()));
        p.setProperty(SEED, Long.toString(config.seed()));
        return p;
    }

    @Override
    public void configure(Properties properties) {
        split = load(properties, Datasets::load);
    }

    /**
     * The (train, validation) split the properties describe, the dataset read by {@code loader}.
     *
     * @throws IllegalArgumentException if the dataset is unknown or the split leaves no training or no validation
     *                                  examples
     */
    static LoadedDataset load(Properties properties, Function<DatasetRequest, LoadedDataset> loader) {
        long seed = Long.parseLong(properties.getProperty(SEED, "1"));
        DatasetRequest.Builder request = DatasetRequest.builder().spec(properties.getProperty(DATASET)).seed(seed);
        if (properties.getProperty(DATA_DIR) != null) {
            request.dataDir(Path.of(properties.getProperty(DATA_DIR)));
        }
        if (properties.getProperty(CACHE_DIR) != null) {
            request.cacheDir(Path.of(properties.getProperty(CACHE_DIR)));
        }
        int limit = Integer.parseInt(properties.getProperty(TRAIN_EXAMPLES, "0"));
        if (limit > 0) {
            request.trainLimit(limit);
        }
        return validationSplit(loader.apply(request.build()),
                Double.parseDouble(properties.getProperty(VALIDATION_FRACTION, "0.2")), seed);
    }

    /** The training part split into (train, validation): the dataset's test part is dropped. */
    static LoadedDataset validationSplit(LoadedDataset data, double fraction, long seed) {
        DataSet all = data.train().copy();
        int examples = all.numExamples();
        int validation = (int) Math.round(fraction * examples);
        if (validation < 1 || validation >= examples) {
            throw new IllegalArgumentException("validation_fraction " + fraction + " of " + examples + " training "
                    + "examples leaves no training or no validation examples; change validation_fraction or train_examples");
        }
        all.shuffle(seed);
        SplitTestAndTrain parts = all.splitTestAndTrain(examples - validation);
        return new LoadedDataset(data.name(), parts.getTrain(), parts.getTest(), data.numFeatures(), data.numClasses());
    }

    /** The (train, validation) split, in a LoadedDataset whose "test" part is the validation set. */
    @Override
    public Object trainData() {
        return requireConfigured();
    }

    @Override
    public Object testData() {
        return requireConfigured();
    }

    @Override
    public Class<?> getDataType() {
        return LoadedDataset.class;
    }

    private LoadedDataset requireConfigured() {
        if (split == null) {
            throw new IllegalStateException("EpDataSource.configure was not called");
        }
        return split;
    }
}
