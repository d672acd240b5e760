package org.eqp.arbiter;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.listener.EpTrainingListener;

/**
 * Arbiter's view of an EP search's score: always minimized. {@link EpTaskCreator} measures candidates itself (the
 * chosen {@link SearchScore}); the score methods here evaluate a trained network's validation error, for Arbiter
 * components that score a model directly.
 */
public class EpScoreFunction implements ScoreFunction {

    @Override
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        return validationError(model, dataProvider.testData(dataParameters));
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties properties) {
        try {
            DataSource source = dataSource.getDeclaredConstructor().newInstance();
            source.configure(properties);
            return validationError(model, source.testData());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot create the data source " + dataSource.getName(), e);
        }
    }

    private static double validationError(Object model, Object data) {
        if (!(model instanceof MultiLayerNetwork net) || !(data instanceof LoadedDataset d)) {
            throw new IllegalArgumentException("EpScoreFunction scores a MultiLayerNetwork on a LoadedDataset");
        }
        return EpTrainingListener.error(net, new ShufflingDataSetIterator(d.test(), 500, 0, false));
    }

    @Override
    public boolean minimize() {
        return true;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(MultiLayerNetwork.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(LoadedDataset.class);
    }
}
