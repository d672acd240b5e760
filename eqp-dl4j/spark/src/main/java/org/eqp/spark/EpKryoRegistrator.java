package org.eqp.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * Spark's Kryo serializer for EP networks: ND4J's registrations ({@link Nd4jRegistrator}: INDArrays, Java's
 * unmodifiable and synchronized collections) and the network configuration {@link SparkEpTraining} broadcasts, written
 * as its JSON through Java serialization. Kryo's default field serializer cannot write the EP layers' configurations
 * ({@code UnsupportedOperationException: can't get field offset on a record class} for {@code EpSettings}).
 *
 * <p>Use: {@code sparkConf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
 * .set("spark.kryo.registrator", "org.eqp.spark.EpKryoRegistrator")}. On Java 17 Kryo also needs
 * {@code --add-opens=java.base/java.util=ALL-UNNAMED} (see the module's README).
 */
public class EpKryoRegistrator extends Nd4jRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        super.registerClasses(kryo);
        kryo.register(JsonSerializedConfiguration.class, new JavaSerializer());
    }
}
