package org.eqp.spark;

import java.io.Serial;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * A {@link MultiLayerConfiguration} that Java serialization writes as its JSON and reads back with
 * {@link MultiLayerConfiguration#fromJson}.
 *
 * <p>DL4J's parameter averaging broadcasts the network's configuration object to the workers with Spark's serializer.
 * The EP layers' configurations are {@link Serializable}, so Java serialization (Spark's default) carries the plain
 * configuration too; Kryo's field serializer cannot write their record classes ({@code EpSettings}, the topology
 * specs), and writing the configuration as its JSON serves both. JSON is the form DL4J's model files use, so a worker
 * rebuilds exactly the configuration a model file would.
 */
final class JsonSerializedConfiguration extends MultiLayerConfiguration {
    @Serial
    private static final long serialVersionUID = 1L;

    private JsonSerializedConfiguration() {
    }

    /** A shallow copy of {@code conf}: the same layer configurations, counters copied. */
    static JsonSerializedConfiguration copyOf(MultiLayerConfiguration conf) {
        JsonSerializedConfiguration copy = new JsonSerializedConfiguration();
        copyFields(conf, copy);
        return copy;
    }

    /** Copies every instance field {@link MultiLayerConfiguration} declares from {@code from} to {@code to}. */
    static void copyFields(MultiLayerConfiguration from, MultiLayerConfiguration to) {
        for (Field f : MultiLayerConfiguration.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                f.setAccessible(true);
                f.set(to, f.get(from));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot copy MultiLayerConfiguration." + f.getName(), e);
            }
        }
    }

    @Serial
    private Object writeReplace() {
        return new JsonForm(toJson());
    }

    /** The serialized form: the configuration's JSON. */
    private static final class JsonForm implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String json;

        JsonForm(String json) {
            this.json = json;
        }

        @Serial
        private Object readResolve() {
            return MultiLayerConfiguration.fromJson(json);
        }
    }
}
